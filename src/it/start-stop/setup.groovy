// A free port for the invoker's own run (Maven reads .mvn/maven.config of the project); the CGI script must be
// executable (the invoker's copy of the project does not keep file modes).
def common = evaluate(new File(itDirectory, 'common.groovy'))
def port = common.freePort()
new File(basedir, '.mvn').mkdirs()
new File(basedir, '.mvn/maven.config').text = "-Dit.port=${port}\n"
new File(basedir, 'src/test/www/cgi-bin/env.cgi').setExecutable(true, false)
println "[start-stop] invoker run on port ${port}"
true
