import groovy.json.JsonSlurper

def common = evaluate(new File(itDirectory, 'common.groovy'))
def archive = new File(basedir, 'target/export-oci-1.0-oci.tar')
assert archive.isFile()
def installed = new File(basedir, '../../local-repo/dev/jetpack/it/export-oci/1.0/export-oci-1.0-oci.tar')
assert installed.isFile() : 'the archive is attached and installed'
assert installed.bytes == archive.bytes

// The archive is docker save's form: manifest.json naming the tag and one layer per image (parent, build).
def dockerManifest = new JsonSlurper().parseText(common.run(['tar', '-xOf', archive.path, 'manifest.json']))
assert dockerManifest.size() == 1
assert dockerManifest[0].RepoTags == ['dev.jetpack.it/export-oci:1.0']
assert dockerManifest[0].Layers.size() == 2

def log = new File(basedir, 'build.log').text
assert log.contains('OCI archive ')
assert log.contains('event handlers of dev.jetpack.it/export-oci') : 'the warning for what OCI cannot hold'

// podman with storage of its own (vfs, so no mounts), as NOTES §7 says it runs here; under /tmp because podman
// refuses a runroot path longer than 50 characters.
def storage = java.nio.file.Files.createTempDirectory('jetpack-it-podman').toFile()
def podman = { List<String> args ->
    common.run(['podman', '--root', "${storage}/root", '--runroot', "${storage}/runroot", '--tmpdir', "${storage}/tmp",
                '--storage-driver', 'vfs', '--runtime', 'runc', '--cgroup-manager', 'cgroupfs',
                '--events-backend', 'none'] + args)
}
try {
    assert podman(['load', '--input', archive.path]).contains('dev.jetpack.it/export-oci:1.0')
    def output = podman(['run', '--rm', '--network', 'none', '--ulimit', 'nofile=1024:1024',
                         '--ulimit', 'nproc=1024:1024', 'dev.jetpack.it/export-oci:1.0'])
    assert output == 'user=1000:1000 pwd=/srv/app mode=production message=built by maven\nparent-only-deleted\n'
} finally {
    ['podman', '--root', "${storage}/root", '--runroot', "${storage}/runroot", '--storage-driver', 'vfs',
     'rmi', '--all', '--force'].execute().waitFor()
    common.mountsUnder(storage).reverse().each { ['umount', '-l', it].execute().waitFor() }
    storage.deleteDir()
}
assert common.mountsUnder(basedir).isEmpty() && !storage.exists()
return true
