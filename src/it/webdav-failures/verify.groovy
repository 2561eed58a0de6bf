// A repository that answers 401 (nginx WebDAV with htpasswd on 127.0.0.1, the wrong password in settings.xml) and
// one that is down (a free port): the build fails naming the repository, its URL and why, and leaves no partial
// file in the local repository or the store. The image is on the server, so 401 is the only thing in the way.
def common = evaluate(new File(itDirectory, 'common.groovy'))
assert new File(basedir, 'build.log').text.contains('BUILD SUCCESS')
def target = new File(basedir, 'target')
def store = new File(target, 'store')
def report = { String line -> println "[webdav-failures] ${line}" }

def dav = common.nginxDav(new File(target, 'nginx'), [reader: 'dav-reader-pw'])
try {
    def published = new File(dav.root, 'repo/dev/jetpack/it/dav-base/1.0')
    common.makeAci(common.hostRootfs(new File(target, 'base-rootfs')), 'dev.jetpack.it/dav-base',
            new File(published, 'dav-base-1.0.aci'))
    new File(published, 'dav-base-1.0.aci.manifest.json').delete()
    new File(published, 'dav-base-1.0.pom').text = '<project><modelVersion>4.0.0</modelVersion><groupId>dev.jetpack.it' +
            '</groupId><artifactId>dav-base</artifactId><version>1.0</version><packaging>aci</packaging></project>\n'

    def attempt = { String name, String url, String serverPassword ->
        def localRepository = new File(target, "${name}-repo")
        def log = new File(basedir, "${name}.log")
        def settings = { String text ->
            text.replace('<mirrorOf>*,!deployed</mirrorOf>', '<mirrorOf>*,!deployed,!webdav</mirrorOf>')
                .replace('<servers>', "<servers>\n    <server><id>webdav</id><username>reader</username>" +
                        "<password>${serverPassword}</password></server>")
        }
        int exit = common.finish(common.startMaven(basedir, localRepository, log, ["-Ddav.url=${url}", 'package'], '',
                [mirror: localRepositoryPath, settings: settings]), name)
        def text = log.text
        assert exit != 0 : "${name}: the build succeeded\n${text}"
        def error = text.readLines().find { it.startsWith('[ERROR] Failed to execute goal') }
        assert error : "${name}: no goal failed\n${text}"
        // Nothing of the image in the local repository (Maven's own *.lastUpdated record of the attempt is allowed),
        // no partial download anywhere, nothing imported into the store.
        def left = []
        new File(localRepository, 'dev/jetpack/it').with { if (it.exists()) it.eachFileRecurse { left << it } }
        assert left.findAll { it.isFile() && !it.name.endsWith('.lastUpdated') }.isEmpty() : "${name}: left ${left}"
        assert common.temporariesUnder(localRepository).isEmpty() && common.temporariesUnder(store).isEmpty()
        def partial = []
        localRepository.eachFileRecurse { if (it.name.endsWith('.part') || it.name.contains('.tmp')) partial << it }
        assert partial.isEmpty() : "${name}: partial files ${partial}"
        assert !new File(store, 'images').exists() || new File(store, 'images').list().length == 0
        assert !text.contains(serverPassword)
        report "${name}: ${error.take(600)}"
        error
    }

    def unauthorized = attempt('unauthorized', dav.url, 'wrong-password')
    assert unauthorized.contains('webdav') && unauthorized.contains(dav.url + '/repo')
    assert unauthorized.contains('401') && unauthorized.contains('settings.xml')
    assert dav.log().readLines().any { it.contains('GET /repo/dev/jetpack/it/dav-base/1.0/dav-base-1.0.aci') && it.contains('" 401 ') }

    def downUrl = "http://127.0.0.1:${common.freePort()}"
    def down = attempt('down', downUrl, 'dav-reader-pw')
    assert down.contains('webdav') && down.contains(downUrl + '/repo') && down.toLowerCase().contains('connect')
} finally {
    dav.stop()
}
return true
