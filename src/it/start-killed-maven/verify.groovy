// kill -9 of Maven between jetpack:start and jetpack:stop; the next run removes what it left.
def common = evaluate(new File(itDirectory, 'common.groovy'))
def localRepository = new File(basedir, '../../local-repo').canonicalFile
def httpd = { int port -> common.processesWith(['httpd', "127.0.0.1:${port}"]) }
def store = new File(basedir, 'target/store')
// What a started app runs in: its container directory under the store's runs/ and the overlay mounted there.
def runDirectories = { (new File(store, 'runs').listFiles() ?: []) as List }
def nothingLeft = { int port, String what ->
    assert !common.listening(port) && httpd(port).isEmpty() : "${what}: the app still runs"
    assert common.mountsUnder(store).isEmpty() : "${what}: mounts left under the store: ${common.mountsUnder(store)}"
    assert runDirectories().isEmpty() : "${what}: container directories left: ${runDirectories()}"
    assert !new File(basedir, 'target/jetpack/started-apps').exists() : "${what}: the state file is left"
}

// Starts `verify` that hangs in jetpack:start's wait (a log line that never comes) while the app serves, and
// kills it there. Returns once Maven is dead and the app is seen to outlive it.
def startAndKill = { int port, String name, String runtime ->
    def log = new File(basedir, "${name}.log")
    def maven = common.startMaven(basedir, localRepository, log,
            ['verify', "-Dit.port=${port}", '-Dit.waitLog=a line the app never writes', '-Dit.timeout=600',
             "-Djetpack.runtime=${runtime}"])
    common.waitFor("the app of ${name} to listen on ${port}", 300) { common.listening(port) }
    common.waitFor("${name} to log the start", 60) { log.text.contains('Started web (') }
    common.kill9(maven)
    // What the killed run leaves: its container directory and overlay mount, and the app itself unless the runtime
    // ties it to the JVM (bwrap --die-with-parent, chroot's pdeathsig, crun's private mount namespace helper).
    def running = httpd(port)
    assert !runDirectories().isEmpty() && !common.mountsUnder(store).isEmpty() : "${name}: nothing left to clean up"
    assert new File(basedir, 'target/jetpack/started-apps').text.contains('web')
    println "[start-killed-maven] ${name} (${runtime}): Maven killed while the app served; left: " +
            "${runDirectories()*.name}, mounts ${common.mountsUnder(store).size()}, app ${running ?: 'ended with Maven'}"
}

int port = 0
try {
    // 1. Killed, then the next run is jetpack:stop alone, in a new JVM.
    port = common.freePort()
    startAndKill(port, 'killed-1', 'runc')
    def stopLog = new File(basedir, 'stop-after-kill.log')
    int stopExit = common.finish(common.startMaven(basedir, localRepository, stopLog, ['jetpack:stop', "-Dit.port=${port}"]),
            'jetpack:stop after the kill')
    assert stopExit == 0 : "jetpack:stop after the kill failed, see ${stopLog}"
    assert stopLog.text.contains('The Maven run that started web is not this one: the store sweep removed what dead runs left') : stopLog.text
    nothingLeft(port, 'jetpack:stop after the kill')

    // 2. Killed, then the next run is a whole verify on the same port: opening the store removes the old app first,
    // so the new one can listen there (start waits for the port) and stop removes it.
    startAndKill(port, 'killed-2', 'auto')
    def nextLog = new File(basedir, 'verify-after-kill.log')
    int nextExit = common.finish(common.startMaven(basedir, localRepository, nextLog, ['verify', "-Dit.port=${port}"]),
            'verify after the kill')
    assert nextExit == 0 : "verify after the kill failed, see ${nextLog}"
    assert nextLog.text.contains('BUILD SUCCESS')
    assert nextLog.text.contains('Stopped web (exit code')
    nothingLeft(port, 'verify after the kill')

    // 3. jetpack:stop with nothing started is no error.
    def idleLog = new File(basedir, 'stop-idle.log')
    assert common.finish(common.startMaven(basedir, localRepository, idleLog, ['jetpack:stop']), 'idle stop') == 0
    assert idleLog.text.contains('Nothing to stop: jetpack:start started no app for this project')
} finally {
    // Whatever a failed check left, the invoker must be able to delete this directory next time.
    if (port) {
        httpd(port).each { ['kill', '-9', it.split(':')[0]].execute().waitFor() }
    }
    common.mountsUnder(store).reverse().each { ['umount', '-l', it].execute().waitFor() }
}
true
