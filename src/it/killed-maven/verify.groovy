// Maven killed with kill -9 during a fetch and during a build; the next run cleans up and succeeds.
// Four Maven runs of this project, one store (target/store), started here so that they can be killed:
//   1. the parent's server stalls halfway through the body; kill -9 once a partial download is on disk
//   2. the server serves the parent; the run must remove run 1's partial download and build
//   3. the build step signals "started" (in Maven's log), then sleeps; kill -9 while it sleeps
//   4. the run must remove run 3's container, mount and build container, then build
// See src/it/README.md for which check catches which missing protection.
import com.sun.net.httpserver.HttpHandler
import groovy.json.JsonSlurper
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit

def common = evaluate(new File(itDirectory, 'common.groovy'))
assert new File(basedir, 'build.log').text.contains('BUILD SUCCESS')

def target = new File(basedir, 'target')
def store = new File(target, 'store')
def aci = new File(target, 'killed-maven-1.0.aci')
def idFile = new File(target, 'killed-maven-1.0.aci.id')
def parent = new File(target, 'parent.aci').bytes
def report = { String line -> println "[killed-maven] ${line}" }

def stall = new CountDownLatch(1)              // counted down to let the stalled response end
def state = [stalling: true, halfSent: false, fullBodies: 0]
def https = common.httpsServer(new File(target, 'tls'))
https.server.createContext('/', { exchange ->
    try {
        if (exchange.requestURI.path != '/parent.aci') {
            exchange.sendResponseHeaders(404, -1)       // e.g. parent.aci.asc: the image is not signed
        } else if (state.stalling) {
            exchange.sendResponseHeaders(200, parent.length)
            exchange.responseBody.write(parent, 0, parent.length.intdiv(2))
            exchange.responseBody.flush()
            state.halfSent = true
            stall.await(600, TimeUnit.SECONDS)          // meanwhile the client is killed
        } else if (exchange.requestHeaders.getFirst('If-None-Match') == '"parent-v1"') {
            exchange.sendResponseHeaders(304, -1)
        } else {
            exchange.responseHeaders.add('ETag', '"parent-v1"')
            exchange.sendResponseHeaders(200, parent.length)
            exchange.responseBody.write(parent)
            state.fullBodies++
        }
    } catch (IOException ignored) {
        // the killed client's connection
    } finally {
        exchange.close()
    }
} as HttpHandler)
https.server.start()

def maven = { int run, String log, List<String> extra = [] ->
    common.startMaven(basedir, localRepositoryPath, new File(basedir, log),
            ["-Dit.parent=${https.url}/parent.aci", "-Dit.run=${run}"] + extra + ['package'], https.mavenOpts)
}
// A fetch streams the body straight into the store's private staging area (tmp/import-*/image.aci).
def staging = new File(store, 'tmp')
def partialDownloads = {
    (staging.listFiles() ?: []).findAll { it.name.startsWith('import-') }
            .collect { new File(it, 'image.aci') }.findAll { it.isFile() && it.length() > 0 }
}
def sleeper = '3593'   // the build step's sleep: an unusual number, to find the process in /proc
def sleepers = {
    new File('/proc').listFiles().findAll { it.name ==~ /\d+/ }.findAll {
        try { new File(it, 'cmdline').text.split('\u0000') as List == ['sleep', sleeper] } catch (IOException e) { false }
    }
}
// Ids of the containers crun and runc know (OCI containers outlive the JVM that started them).
def runtimeContainers = {
    ['crun', 'runc'].findAll { tool -> ['/usr/bin', '/usr/sbin', '/bin', '/sbin'].any { new File(it, tool).canExecute() } }
            .collectMany { tool ->
                def out = [tool, 'list', '--format', 'json'].execute()
                def text = out.text
                out.waitFor()
                text.trim() && text.trim() != 'null' ? new JsonSlurper().parseText(text)*.id : []
            }
}
def storedImagesIntact = {
    new File(store, 'images').listFiles().each { image ->
        assert common.idOf(new File(image, 'image.aci')) == image.name : "corrupt stored image ${image}"
    }
}

try {
    // 1. killed during the fetch
    def first = maven(1, 'run1-killed-during-fetch.log')
    common.waitFor('a partial download of the parent (run 1)', 300) { state.halfSent && partialDownloads() }
    common.kill9(first)
    def partial = partialDownloads()
    report "run 1 killed during the fetch; it left ${partial*.name}"
    assert partial.size() == 1 : 'the killed fetch left no partial download: the test did not kill it mid-body'
    assert !aci.exists() && !idFile.exists()
    assert !new File(store, 'images').listFiles() : 'an image was stored from a partial download'

    // 2. the next run cleans up and succeeds
    state.stalling = false
    stall.countDown()
    assert common.finish(maven(2, 'run2-after-fetch-kill.log'), 'run 2') == 0 : new File(basedir, 'run2-after-fetch-kill.log').text
    assert !partial[0].exists() : "run 2 left run 1's partial download ${partial[0]}"
    assert common.temporariesUnder(target).isEmpty() : common.temporariesUnder(target)
    assert state.fullBodies == 1
    assert common.fileOf(aci, 'run-number') == '2\n'
    assert common.idOf(aci) == idFile.text.trim()
    def run2Id = idFile.text.trim()
    def run2Bytes = aci.bytes
    report "run 2 removed the partial download and built ${run2Id.take(19)}"

    // 3. killed during the build step
    def log3 = new File(basedir, 'run3-killed-during-build.log')
    def third = maven(3, log3.name, ["-Dit.sleep=${sleeper}"])
    common.waitFor('the build step of run 3 to start', 300) { log3.text.contains('build step started: run 3') }
    common.waitFor('the sleeping build step', 60) { sleepers() }
    common.kill9(third)
    def mounts = common.mountsUnder(store)
    def containers = new File(store, 'containers').listFiles() as List
    report "run 3 killed during the build step; it left mounts ${mounts}, build containers ${containers*.name}," +
            " sleeping build command(s) ${sleepers()*.name}"
    assert mounts : 'the killed build left no mount: the test did not kill it during the build'
    assert containers
    assert aci.bytes == run2Bytes && idFile.text.trim() == run2Id : "run 3 touched run 2's ACI before it was killed"

    // 4. the next run cleans up and succeeds. Every jetpack process on the host removes the OCI containers of dead
    // JVMs when it opens a store, so on a shared machine another build may remove them first: the checks are on
    // the result (no container, no command left), and the report says who removed them.
    def containerIds = runtimeContainers().findAll { it.startsWith("jetpack-${third.pid()}-") }
    def sleepingBefore = sleepers()
    report "before run 4: container(s) of the killed JVM ${containerIds}, sleeping build command ${sleepingBefore*.name}"
    def log4 = new File(basedir, 'run4-after-build-kill.log')
    assert common.finish(maven(4, log4.name), 'run 4') == 0 : log4.text
    assert common.mountsUnder(store).isEmpty() : "mounts left under the store: ${common.mountsUnder(store)}"
    assert sleepers().isEmpty() : "the killed build's command still runs: ${sleepers()}"
    assert !new File(store, 'containers').listFiles() : new File(store, 'containers').listFiles()
    assert !new File(store, 'builds').listFiles()
    assert !new File(store, 'tmp').listFiles()
    assert common.temporariesUnder(target).isEmpty() : common.temporariesUnder(target)
    assert log4.text.contains('Removed the stale build container') : 'run 4 did not say what it removed'
    containerIds.each { id ->
        assert !runtimeContainers().contains(id) : "container ${id} of the killed JVM is left"
        report "container ${id}: " + (log4.text.contains(id) ? 'run 4 removed it (see its log)'
                : 'gone, not named by run 4: another jetpack process on this host removed it first')
    }
    report 'run 4 said: ' + log4.readLines().findAll { it.contains('stale') || it.contains('Removed') }*.trim()
    assert common.fileOf(aci, 'run-number') == '4\n'
    assert common.manifestOf(aci).name == 'example.com/killed-maven'
    assert common.fileOf(aci, 'etc/parent-file') == 'from the parent\n'
    assert common.idOf(aci) == idFile.text.trim()
    storedImagesIntact()
    assert state.fullBodies == 1 : 'the parent was downloaded again although it was stored'
    report "run 4 removed them and built ${idFile.text.trim().take(19)}"
} finally {
    stall.countDown()
    https.server.stop(0)
    https.server.executor.shutdownNow()
}
return true
