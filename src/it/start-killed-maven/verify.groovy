// kill -9 of Maven between jetpack:start and jetpack:stop; the next run removes what it left.
def common = evaluate(new File(itDirectory, 'common.groovy'))
def localRepository = new File(basedir, '../../local-repo').canonicalFile
def httpd = { int port -> common.processesWith(['httpd', "127.0.0.1:${port}"]) }

// Starts `verify` that hangs in jetpack:start's wait (a log line that never comes) while the app serves, and
// kills it there. Returns once Maven is dead and the app is seen to outlive it.
def startAndKill = { int port, String name ->
    def log = new File(basedir, "${name}.log")
    def maven = common.startMaven(basedir, localRepository, log,
            ['verify', "-Dit.port=${port}", '-Dit.waitLog=a line the app never writes', '-Dit.timeout=600'])
    common.waitFor("the app of ${name} to listen on ${port}", 300) { common.listening(port) }
    common.waitFor("${name} to log the start", 60) { log.text.contains('Started web (') }
    common.kill9(maven)
    assert common.listening(port) : "${name}: the app did not outlive the killed Maven, so this checks nothing"
    assert !httpd(port).isEmpty()
    assert new File(basedir, 'target/jetpack/started-apps').text.contains('web')
    println "[start-killed-maven] ${name}: Maven killed while the app serves: ${httpd(port)}"
}

// 1. Killed, then the next run is jetpack:stop alone, in a new JVM.
int port = common.freePort()
startAndKill(port, 'killed-1')
def stopLog = new File(basedir, 'stop-after-kill.log')
int stopExit = common.finish(common.startMaven(basedir, localRepository, stopLog, ['jetpack:stop', "-Dit.port=${port}"]),
        'jetpack:stop after the kill')
assert stopExit == 0 : "jetpack:stop after the kill failed, see ${stopLog}"
assert stopLog.text.contains('The Maven run that started web is gone; removed what it left') : stopLog.text
common.waitFor('the killed run\'s app to be gone', 30) { !common.listening(port) && httpd(port).isEmpty() }
assert !new File(basedir, 'target/jetpack/started-apps').exists()

// 2. Killed, then the next run is a whole verify on the same port: opening the store removes the old app first,
// so the new one can listen there, the test passes and stop removes it.
startAndKill(port, 'killed-2')
def nextLog = new File(basedir, 'verify-after-kill.log')
int nextExit = common.finish(common.startMaven(basedir, localRepository, nextLog, ['verify', "-Dit.port=${port}"]),
        'verify after the kill')
assert nextExit == 0 : "verify after the kill failed, see ${nextLog}"
assert nextLog.text.contains('BUILD SUCCESS')
assert nextLog.text.contains('Stopped web (exit code')
assert !common.listening(port) && httpd(port).isEmpty() : 'something is left after the run that followed the kill'

// 3. jetpack:stop with nothing started is no error.
def idleLog = new File(basedir, 'stop-idle.log')
assert common.finish(common.startMaven(basedir, localRepository, idleLog, ['jetpack:stop']), 'idle stop') == 0
assert idleLog.text.contains('Nothing to stop: jetpack:start started no app for this project')
true
