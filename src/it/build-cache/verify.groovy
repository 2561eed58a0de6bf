// Apache's build cache extension (1.2.1, Maven 3.9.16) over jetpack's goals, shared between CI runners through a
// remote cache on a real WebDAV server (nginx with htpasswd on 127.0.0.1, started and stopped here).
// Runner A: a fresh copy of this project builds base and app and saves both to the remote cache; with its output
// removed and the remote off, a second build restores both from its local cache.
// Runner B: another fresh copy, an empty store, an empty local repository (the mirror serves only Maven's plugins
// and the extension) and an empty local cache: both modules are restored from the remote, no goal of jetpack runs,
// no container starts, and the ACIs and their .id files are byte-identical to runner A's.
// Then, on runner B, a changed file in app's build directory (an input) rebuilds app only: its parent, restored
// from the cache, is found in the reactor and imported into the empty store on first use.
def common = evaluate(new File(itDirectory, 'common.groovy'))
assert new File(basedir, 'build.log').text.contains('BUILD SUCCESS')
def target = new File(basedir, 'target')
def report = { String line -> println "[build-cache] ${line}" }
def maven39 = common.mavenDistribution(localRepositoryPath, '3.9.16', new File(target, 'maven'))

// A fresh checkout: the project's sources as the invoker cloned them, nothing built.
def checkout = { String name ->
    def dir = new File(target, name)
    assert !dir.exists()
    dir.mkdirs()
    common.run(['cp', '-a', new File(basedir, '.mvn').path, new File(basedir, 'pom.xml').path,
                new File(basedir, 'base').path, new File(basedir, 'app').path, dir.path])
    ['base', 'app'].each { new File(dir, it + '/target').deleteDir() }
    dir
}
def password = 'cache-writer-pw'
def dav = common.nginxDav(new File(target, 'nginx'), [ci: password])
try {
    def settings = { String text ->
        text.replace('<mirrorOf>*,!deployed</mirrorOf>', '<mirrorOf>*,!deployed,!build-cache</mirrorOf>')
            .replace('<servers>', "<servers>\n    <server><id>build-cache</id><username>ci</username><password>${password}</password></server>")
    }
    // One runner's Maven run: its own local repository and local cache (target/RUNNER-repo, -cache); log NAME.log.
    def run = { File project, String name, List<String> arguments ->
        def log = new File(basedir, name + '.log')
        def runner = project.name
        int exit = common.finish(common.startMaven(project, new File(target, runner + '-repo'), log,
                ["-Dmaven.build.cache.remote.url=${dav.url}/cache",
                 "-Dmaven.build.cache.location=${new File(target, runner + '-cache')}"] + arguments, '',
                [mirror: localRepositoryPath, settings: settings, mavenHome: maven39]), name)
        assert exit == 0 : "${name}: exit ${exit}\n${log.text}\nnginx: ${dav.log()}"
        log.text
    }
    def aci = { File project, String module -> new File(project, "${module}/target/bc-${module}-1.0.aci") }
    def id = { File project, String module -> new File(project, "${module}/target/bc-${module}-1.0.aci.id") }

    def a = checkout('runner-a')
    def logA = run(a, 'runner-a', ['-Dmaven.build.cache.remote.save.enabled=true', 'verify'])
    assert logA.contains('[build] + cp greeting.txt /greeting.txt')
    ['base', 'app'].each { assert aci(a, it).isFile() && id(a, it).text.trim() == common.idOf(aci(a, it)) }
    def saved = dav.log().readLines().findAll { it.contains('"PUT /cache/') }
    assert saved.any { it.contains('/bc-base/') && it.contains('buildinfo.xml') } : 'base was not saved to the remote cache'
    assert saved.any { it.contains('/bc-app/') && it.contains('buildinfo.xml') } : 'app was not saved to the remote cache'
    assert saved.every { it.contains(' ci [') && (it.contains('" 201 ') || it.contains('" 204 ')) } : saved.join('\n')
    report "runner A built base and app and saved ${saved.size()} files to ${dav.url}/cache"

    // The local cache: runner A again after its build output is gone (as after mvn clean), the remote switched off:
    // both modules come from target/runner-a-cache, byte for byte, and no request reaches the server.
    def builtA = ['base', 'app'].collectEntries { [(it): [aci(a, it).bytes, id(a, it).text]] }
    ['base', 'app'].each { assert new File(a, it + '/target').deleteDir() }
    def requestsBefore = dav.log().readLines().count { it.contains('/cache/') }
    def logA2 = run(a, 'runner-a-local', ['-Dmaven.build.cache.remote.enabled=false', 'verify'])
    assert logA2.count('Local build found by checksum') == 2 : logA2
    assert !(logA2 =~ /--- (jetpack|jetpack-maven-plugin):[^:]+:(fetch|prepare|build) \(/) : "a jetpack goal ran\n${logA2}"
    ['base', 'app'].each { assert aci(a, it).bytes == builtA[it][0] && id(a, it).text == builtA[it][1] }
    assert dav.log().readLines().count { it.contains('/cache/') } == requestsBefore
    report "runner A, output removed, remote off: both modules restored from the local cache"

    def b = checkout('runner-b')
    assert !new File(b, 'store').exists() && !new File(target, 'runner-b-repo').exists()
    def logB = run(b, 'runner-b', ['verify'])
    ['bc-base', 'bc-app'].each { module ->
        assert logB =~ /Found cached build, restoring dev\.jetpack\.it:${module} from cache/ : "${module} was not restored\n${logB}"
    }
    // No goal of jetpack ran (the extension logs each one it skips), so no container and no store at all. Maven 3.9
    // names a plugin by its prefix in the "--- jetpack:VERSION:goal (execution) @ module ---" lines, 3.8 in full.
    assert !(logB =~ /--- (jetpack|jetpack-maven-plugin):[^:]+:(fetch|prepare|build) \(/) : "a jetpack goal ran on runner B\n${logB}"
    ['fetch', 'prepare', 'build'].each { assert logB.count("Skipping plugin execution (cached): jetpack:${it}") == 2 }
    assert !logB.contains('[build] ')
    assert !new File(b, 'store').exists() : 'runner B opened a store: ' + new File(b, 'store').list()
    ['base', 'app'].each { assert !new File(b, it + '/target/jetpack').exists() : "${it}: a staged build directory" }
    ['base', 'app'].each { module ->
        assert aci(b, module).bytes == aci(a, module).bytes : "${module}: the restored ACI differs from runner A's"
        assert id(b, module).text == id(a, module).text : "${module}: the restored .aci.id differs"
    }
    assert !new File(target, 'runner-b-repo/dev/jetpack/it/bc-base').exists()
    report "runner B restored base and app from the remote cache without running a jetpack goal; ACIs and IDs identical"

    // An input of app changes on runner B: app is rebuilt, on base restored from the cache and imported into the store.
    new File(b, 'app/src/main/image/greeting.txt').text = 'hello from runner B\n'
    def logB2 = run(b, 'runner-b-changed', ['verify'])
    assert logB2 =~ /Found cached build, restoring dev\.jetpack\.it:bc-base from cache/
    assert !(logB2 =~ /Found cached build, restoring dev\.jetpack\.it:bc-app from cache/) : 'app was restored despite its changed input'
    assert logB2 =~ /--- (jetpack|jetpack-maven-plugin):[^:]+:build \([^)]*\) @ bc-app/
    assert logB2 =~ /Imported dev\.jetpack\.it\/bc-base:1\.0 \(sha512-[0-9a-f]+\) from mvn:dev\.jetpack\.it:bc-base:1\.0 \([^)]*runner-b\/base\/target\/bc-base-1\.0\.aci\)/
    assert common.fileOf(aci(b, 'app'), 'greeting.txt') == 'hello from runner B\n'
    def app = common.manifestOf(aci(b, 'app'))
    assert app.dependencies*.imageID == [id(a, 'base').text.trim()] : 'app was not built on the restored base'
    assert id(b, 'app').text.trim() == common.idOf(aci(b, 'app'))
    def images = new File(b, 'store/images')
    assert images.isDirectory()
    assert common.temporariesUnder(new File(b, 'store')).isEmpty()
    report "runner B, app changed: rebuilt on the restored base (${id(a, 'base').text.trim().take(19)}...), imported into its store"
    assert ![logA, logB, logB2].any { it.contains(password) } : 'the cache password is in a log'
} finally {
    dav.stop()
}
return true
