// Two Maven processes at once with one store, both building from the same parent URL: process A is the -T 2
// reactor (a1, a2), process B the single project `single`. The server holds back the first download of the
// parent until another build is seen waiting for it, so the runs really overlap (see src/it/README.md).
import com.sun.net.httpserver.HttpHandler
import groovy.json.JsonSlurper
import java.util.concurrent.atomic.AtomicInteger

def common = evaluate(new File(itDirectory, 'common.groovy'))
assert new File(basedir, 'build.log').text.contains('BUILD SUCCESS')

def target = new File(basedir, 'target')
def store = new File(target, 'shared-store')
def parent = new File(target, 'parent.aci').bytes
def logA = new File(basedir, 'process-a-reactor.log'), logB = new File(basedir, 'process-b-single.log')
def report = { String line -> println "[concurrent-maven] ${line}" }

// POSIX locks some process waits for (/proc/locks lists a blocked request as "N: -> POSIX ... PID MAJ:MIN:INODE")
// on a file in the store's fetch-locks directory: proof that one Maven process waited for the other's download.
def fetchLockWaiters = {
    def dir = new File(store, 'cache/fetch-locks')
    def inodes = (dir.listFiles() ?: []).collect { lock ->
        String.valueOf(java.nio.file.Files.getAttribute(lock.toPath(), 'unix:ino')) } as Set
    new File('/proc/locks').readLines().findAll { line ->
        def fields = line.trim().split(/\s+/) as List
        def device = fields.find { it.count(':') == 2 }          // MAJ:MIN:INODE
        fields.contains('->') && device != null && inodes.contains(device.tokenize(':').last())
    }
}
def fetchStarted = { String module -> (logA.text + logB.text).readLines().any { it.contains(':fetch (') && it.contains('@ ' + module) } }

def fullBodies = new AtomicInteger(), notModified = new AtomicInteger()
def waiterSeen = []
def https = common.httpsServer(new File(target, 'tls'))
https.server.createContext('/', { exchange ->
    try {
        if (exchange.requestURI.path != '/parent.aci') {
            exchange.sendResponseHeaders(404, -1)       // e.g. parent.aci.asc: the image is not signed
        } else if (exchange.requestHeaders.getFirst('If-None-Match') == '"parent-v1"') {
            notModified.incrementAndGet()
            exchange.sendResponseHeaders(304, -1)
        } else {
            int number = fullBodies.incrementAndGet()
            exchange.responseHeaders.add('ETag', '"parent-v1"')
            exchange.sendResponseHeaders(200, parent.length)
            exchange.responseBody.write(parent, 0, parent.length.intdiv(2))
            exchange.responseBody.flush()
            if (number == 1) {
                // Hold the first download halfway until every build has started fetching and another process is
                // blocked on the fetch lock. Give up after 50 s, below the client's 60 s read timeout, so that
                // without the lock the checks below fail with a clear message rather than a stalled download.
                try {
                    common.waitFor('every build fetching and a process waiting for the download', 50) {
                        ['concurrent-a1', 'concurrent-a2', 'concurrent-single'].every(fetchStarted) && fetchLockWaiters()
                    }
                    waiterSeen.addAll(fetchLockWaiters())
                } catch (AssertionError e) {
                    report "gave up holding the download: ${e.message}"
                }
            }
            exchange.responseBody.write(parent, parent.length.intdiv(2), parent.length - parent.length.intdiv(2))
        }
    } catch (IOException e) {
        report "server: ${e}"
    } finally {
        exchange.close()
    }
} as HttpHandler)
https.server.start()

try {
    def arguments = ["-Dit.parent=${https.url}/parent.aci", "-Djetpack.store=${store}"]
    def a = common.startMaven(basedir, localRepositoryPath, logA, arguments + ['-T', '2', 'package'], https.mavenOpts)
    def b = common.startMaven(basedir, localRepositoryPath, logB, arguments + ['-f', 'single/pom.xml', 'package'],
            https.mavenOpts)
    def exitA = common.finish(a, 'process A (-T 2 reactor)'), exitB = common.finish(b, 'process B (single)')
    assert exitA == 0 : logA.text
    assert exitB == 0 : logB.text
} finally {
    https.server.stop(0)
    https.server.executor.shutdownNow()
}
report "server: ${fullBodies.get()} full download(s), ${notModified.get()} conditional request(s) answered 304;" +
        " waiting on the fetch lock while the first download was held: ${waiterSeen}"
assert waiterSeen : 'no Maven process was seen waiting for the other\'s download: the runs did not overlap'
assert fullBodies.get() == 1 : "the parent was downloaded ${fullBodies.get()} times"

// Exactly one process imported (unpacked) the parent; the other found it in the store.
def textA = logA.text, textB = logB.text
assert !textA.toLowerCase().contains('thread-safe') && !textA.contains('threadSafe') : 'thread-safety warning'
def imported = { String text -> text.readLines().count { it.contains('Imported dev.jetpack.it/concurrent-parent') } }
report "parent imported: ${imported(textA)} time(s) by process A, ${imported(textB)} by process B"
assert imported(textA) + imported(textB) == 1
def reused = { String text -> text.readLines().count { it.contains('not modified since the last fetch (HTTP 304)') } }
assert reused(imported(textA) == 1 ? textB : textA) >= 1 : 'the other process did not say it found the parent'

// One copy of the parent in the store, nothing half-done, every image intact.
def slurper = new JsonSlurper()
def images = new File(store, 'images').listFiles()
def byName = images.groupBy { slurper.parse(new File(it, 'manifest')).name }
assert byName.keySet() == ['dev.jetpack.it/concurrent-parent', 'example.com/concurrent-a1', 'example.com/concurrent-a2',
                           'example.com/concurrent-single'] as Set
assert byName.values().every { it.size() == 1 } : byName
images.each { assert common.idOf(new File(it, 'image.aci')) == it.name : "corrupt stored image ${it}" }
assert !new File(store, 'tmp').listFiles() && !new File(store, 'builds').listFiles()
assert !new File(store, 'containers').listFiles()
assert common.temporariesUnder(basedir).isEmpty() : common.temporariesUnder(basedir)
assert common.mountsUnder(store).isEmpty()

// Each ACI: complete (its ID file is the SHA-512 of its tar), its own content on the parent's.
['a1', 'a2', 'single'].each { module ->
    def aci = new File(basedir, "${module}/target/concurrent-${module}-1.0.aci")
    def id = new File(basedir, "${module}/target/concurrent-${module}-1.0.aci.id").text.trim()
    assert common.idOf(aci) == id
    assert new File(images.find { it.name == id }, 'image.aci').bytes == aci.bytes
    assert common.manifestOf(aci).name == "example.com/concurrent-${module}"
    assert common.fileOf(aci, 'srv/built-by') == "concurrent-${module}\n"
    assert common.fileOf(aci, 'etc/parent-file') == 'from the parent\n'
}
return true
