// jetpack:run in the foreground: output, exit codes, and Ctrl-C (SIGINT to Maven).
def common = evaluate(new File(itDirectory, 'common.groovy'))
def localRepository = new File(basedir, '../../local-repo').canonicalFile

// 1. The invoker's run: exit 0, output in the Maven log and in the app's log file.
def log = new File(basedir, 'build.log').text
assert log.contains('[show] greeting=hi args=one two words') : 'the app\'s output is not in the Maven log'
assert log.contains('App show exited with code 0')
assert log.contains('BUILD SUCCESS')
assert new File(basedir, 'target/jetpack/show.log').text.trim() == 'greeting=hi args=one two words'

// 2. A non-zero exit fails the build, naming the app and the code.
def failLog = new File(basedir, 'exit-3.log')
int exit = common.finish(common.startMaven(basedir, localRepository, failLog, ['jetpack:run', '-Dit.exit=3']),
        'the exit-3 run')
assert exit != 0 && failLog.text.contains('The app show exited with code 3') : failLog.text

// 3. Ctrl-C: SIGINT to Maven while the app sleeps; the app ends, the build ends, nothing is left running.
def sleeper = '3595'
def sleepers = { common.processesWith(['sleep', sleeper]).findAll { !it.contains('java') && !it.contains('mvn') } }
def intLog = new File(basedir, 'sigint.log')
def maven = common.startMaven(basedir, localRepository, intLog, ['jetpack:run', "-Dit.sleep=${sleeper}"])
common.waitFor('the app to start sleeping', 120) { !sleepers().isEmpty() }
['kill', '-INT', String.valueOf(maven.pid())].execute().waitFor()
assert maven.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) : 'Maven did not end within 60 s of SIGINT'
common.waitFor('the app to be gone after SIGINT', 30) { sleepers().isEmpty() }
println "[run-foreground] SIGINT: Maven exited with ${maven.exitValue()}, the app is gone"
true
