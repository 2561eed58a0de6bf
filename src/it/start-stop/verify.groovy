// The invoker's run (runtime auto), then the same build on each runtime the engine supports, then one whose test
// fails: every run starts the app, the test reaches it, and jetpack:stop leaves nothing running.
def common = evaluate(new File(itDirectory, 'common.groovy'))
def localRepository = new File(basedir, '../../local-repo').canonicalFile

// Nothing of a run is left: the port is closed, no httpd of that port runs, the state file is gone.
def nothingLeft = { int port, String what ->
    assert !common.listening(port) : "${what}: something still listens on port ${port}"
    def left = common.processesWith(['httpd', "127.0.0.1:${port}"])
    assert left.isEmpty() : "${what}: still running: ${left}"
    assert !new File(basedir, 'target/jetpack/started-apps').exists() : "${what}: jetpack:stop left its state file"
}

def checkStartedAndStopped = { String log, String what ->
    assert log =~ /Started web \(/ : "${what}: no start logged"
    assert log =~ /App web is ready \(http http:\/\/127\.0\.0\.1:\d+\/, tcp 127\.0\.0\.1:\d+\) after \d+ ms/ : what
    assert log.contains('Stopped web (exit code') : "${what}: jetpack:stop did not stop the app"
    // busybox httpd -v logs each static response: the wait's and the test's requests, in the Maven log as [web] lines.
    assert (log =~ /\[web\] 127\.0\.0\.1:\d+: response:200/).size() >= 2 : "${what}: the app's output is not in the log"
}

// 1. The invoker's run.
def port = (new File(basedir, '.mvn/maven.config').text =~ /-Dit\.port=(\d+)/)[0][1] as int
def log = new File(basedir, 'build.log').text
checkStartedAndStopped(log, 'invoker run')
assert log =~ /Tests run: 2, Failures: 0, Errors: 0, Skipped: 0/
def appLog = new File(basedir, 'target/jetpack/web.log')
assert appLog.isFile() : 'no target/jetpack/web.log'
println "[start-stop] app log of the invoker run:\n" + appLog.text
assert appLog.readLines().findAll { it ==~ /127\.0\.0\.1:\d+: response:200/ }.size() >= 2 : appLog.text
nothingLeft(port, 'invoker run')

// 2. Each runtime (a few seconds each: the image is rebuilt for the new port, the test JVM forks once).
for (runtime in ['runc', 'crun', 'bwrap', 'chroot']) {
    int runPort = common.freePort()
    def runLog = new File(basedir, "runtime-${runtime}.log")
    def process = common.startMaven(basedir, localRepository, runLog,
            ['verify', "-Djetpack.runtime=${runtime}", "-Dit.port=${runPort}"])
    int exit = common.finish(process, "the run on ${runtime}")
    def text = runLog.text
    assert exit == 0 && text.contains('BUILD SUCCESS') : "run on ${runtime} failed (exit ${exit}), see ${runLog}"
    checkStartedAndStopped(text, runtime)
    assert text =~ /Tests run: 2, Failures: 0, Errors: 0, Skipped: 0/ : runtime
    nothingLeft(runPort, runtime)
    println "[start-stop] ${runtime}: started, tested, stopped"
}

// 3. A failing test: failsafe's integration-test records the failure, jetpack:stop (post-integration-test) still
// stops the app, then failsafe's verify fails the build.
int failPort = common.freePort()
def failLog = new File(basedir, 'failing-test.log')
int failExit = common.finish(common.startMaven(basedir, localRepository, failLog,
        ['verify', "-Dit.port=${failPort}", '-Dit.expected=a text the page does not have']), 'the failing-test run')
def failText = failLog.text
assert failExit != 0 && failText.contains('BUILD FAILURE') : "the failing-test run did not fail (exit ${failExit})"
assert failText =~ /Tests run: 2, Failures: 1/ : 'the failing test did not fail'
int stoppedAt = failText.indexOf('Stopped web (exit code')
int failedAt = failText.indexOf('There are test failures')
assert stoppedAt > 0 : 'jetpack:stop did not run after the failed test'
assert failedAt > stoppedAt : 'the build failed before jetpack:stop ran'
nothingLeft(failPort, 'failing-test run')
println "[start-stop] failing test: stopped before verify failed the build"

// 4. A readiness time-out fails the build with the app, the condition, the time-out and the app's last lines, and
// removes the app (jetpack:stop will not run after a failed start).
int slowPort = common.freePort()
def slowLog = new File(basedir, 'not-ready.log')
int slowExit = common.finish(common.startMaven(basedir, localRepository, slowLog,
        ['verify', "-Dit.port=${slowPort}", '-Dit.readyPath=/never-there', '-Dit.readyTimeout=3']), 'the not-ready run')
def slowText = slowLog.text
assert slowExit != 0 && slowText.contains('BUILD FAILURE') : 'a time-out did not fail the build'
assert slowText.contains("The app web was not ready within 3 s: still waiting for http http://127.0.0.1:${slowPort}/never-there (last try: answered 404)")
assert slowText =~ /its last lines of output:\s+127\.0\.0\.1:\d+: response:404/ : 'no log tail in the error'
assert slowText.contains('The whole log: ')
nothingLeft(slowPort, 'not-ready run')
println "[start-stop] readiness time-out: failed with the log tail, nothing left"

// 5. -DskipITs skips start and stop (and failsafe), saying so.
def skipLog = new File(basedir, 'skip-its.log')
int skipExit = common.finish(common.startMaven(basedir, localRepository, skipLog,
        ['verify', "-Dit.port=${common.freePort()}", '-DskipITs']), 'the skipITs run')
assert skipExit == 0 : "the skipITs run failed, see ${skipLog}"
assert skipLog.text.contains('Skipping jetpack:start (skipITs=true)')
assert skipLog.text.contains('Skipping jetpack:stop (skipITs=true)')
// -Djetpack.skip skips them too (and run), whatever the phase.
def jetpackSkipLog = new File(basedir, 'jetpack-skip.log')
assert common.finish(common.startMaven(basedir, localRepository, jetpackSkipLog,
        ['jetpack:run', 'jetpack:start', 'jetpack:stop', '-Djetpack.skip']), 'the jetpack.skip run') == 0
['run', 'start', 'stop'].each { assert jetpackSkipLog.text.contains("Skipping jetpack:${it} (jetpack.skip=true)") }
true
