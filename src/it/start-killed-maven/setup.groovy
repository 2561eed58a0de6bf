def common = evaluate(new File(itDirectory, 'common.groovy'))
new File(basedir, '.mvn').mkdirs()
new File(basedir, '.mvn/maven.config').text = "-Dit.port=${common.freePort()}\n"
new File(basedir, 'src/test/www/cgi-bin/env.cgi').setExecutable(true, false)
true
