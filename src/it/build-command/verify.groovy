def common = evaluate(new File(itDirectory, 'common.groovy'))
def aci = new File(basedir, 'target/build-command-3.0.aci')
assert common.compressionOf(aci) == 'bzip2'
def manifest = common.manifestOf(aci)
assert manifest.name == 'example.com/generated'                   // the generated manifest's own name wins
assert common.label(manifest, 'app-version') == '4.2'
assert common.label(manifest, 'version') == '3.0'                 // project default filled in
assert common.label(manifest, 'arch') == 'amd64'                  // from the parent
assert common.fileOf(aci, 'srv/generated') == 'generated 4.2\n'
assert common.fileOf(aci, 'etc/parent-file') == 'from the parent\n'
def log = new File(basedir, 'build.log').text
assert log.contains('Running [/bin/sh, generate.sh, 4.2] with chroot')
return true
