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

// 3. Ctrl-C: SIGINT to Maven while the app sleeps reaches the app (as pid 1 of its container it only ends by its
// own handler: the trap), the app ends with 130, which is no build failure, and nothing is left running.
def sleeper = '3595'
def sleepers = { common.processesWith(['sleep', sleeper]).findAll { !it.contains('java') && !it.contains('mvn') } }
def intLog = new File(basedir, 'sigint.log')
def maven = common.startMaven(basedir, localRepository, intLog, ['jetpack:run', "-Dit.sleep=${sleeper}"])
common.waitFor('the app to start sleeping', 120) { !sleepers().isEmpty() }
['kill', '-INT', String.valueOf(maven.pid())].execute().waitFor()
assert maven.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) : 'Maven did not end within 60 s of SIGINT'
common.waitFor('the app to be gone after SIGINT', 30) { sleepers().isEmpty() }
def intText = intLog.text
assert intText.contains('[show] got SIGINT') : 'the app did not get the SIGINT'
assert intText.contains('App show exited with code 130')
assert maven.exitValue() == 0 && intText.contains('BUILD SUCCESS') : "Ctrl-C failed the build (exit ${maven.exitValue()})"
println "[run-foreground] SIGINT: the app trapped it and exited 130, Maven exited 0, nothing is left"
true
