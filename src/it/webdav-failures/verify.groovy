// A repository that answers 401 (nginx WebDAV with htpasswd on 127.0.0.1, the wrong password in settings.xml) and
// one that is down (a free port): the build fails naming the repository, its URL and why, and leaves no partial
// file in the local repository or the store. The image is on the server, so 401 is the only thing in the way.
// Then a deploy with the wrong password fails the same way and leaves nothing on the server.
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

    def settings = { String serverPassword -> { String text ->
        text.replace('<mirrorOf>*,!deployed</mirrorOf>', '<mirrorOf>*,!deployed,!webdav</mirrorOf>')
            .replace('<servers>', "<servers>\n    <server><id>webdav</id><username>reader</username>" +
                    "<password>${serverPassword}</password></server>")
    } }
    def attempt = { String name, String url, String serverPassword ->
        def localRepository = new File(target, "${name}-repo")
        def log = new File(basedir, "${name}.log")
        int exit = common.finish(common.startMaven(basedir, localRepository, log, ["-Ddav.url=${url}", 'package'], '',
                [mirror: localRepositoryPath, settings: settings(serverPassword)]), name)
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

    // Deploying with the wrong password: Maven's deploy fails naming the repository, its URL and the 401, and the
    // server keeps nothing (nginx writes a PUT body to its temporary directory and renames it only when complete).
    def version = new groovy.xml.XmlSlurper().parse(new File(basedir, 'pom.xml')).build.plugins.plugin.version.text()
    def deployLog = new File(basedir, 'deploy-refused.log')
    int exit = common.finish(common.startMaven(new File(basedir, 'producer'), new File(target, 'deploy-refused-repo'),
            deployLog, ["-Ddav.url=${dav.url}", "-Djetpack.version=${version}", '-Dmaven.install.skip=true', 'deploy'],
            '', [mirror: localRepositoryPath, settings: settings('wrong-password')]), 'deploy-refused')
    def refused = deployLog.readLines().find { it.startsWith('[ERROR] Failed to execute goal') }
    assert exit != 0 && refused : deployLog.text
    assert refused.contains('webdav') && refused.contains(dav.url + '/repo') && refused.contains('401')
    assert !new File(dav.root, 'repo/dev/jetpack/it/dav-refused').exists()
    assert new File(dav.root.parentFile, 'temp/body').with { !it.exists() || it.list().length == 0 }
    assert !deployLog.text.contains('wrong-password')
    report "deploy-refused: ${refused.take(400)}"
} finally {
    dav.stop()
}
return true
