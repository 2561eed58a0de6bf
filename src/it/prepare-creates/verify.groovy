// The step with <creates> ran in the first build and after clean; the plain step in each of the three.
def runs = new File(basedir, 'runs.txt').readLines()
assert runs == ['creates', 'plain', 'plain', 'creates', 'plain'] : runs
def log = new File(basedir, 'build.log').text
assert log.contains('Prepare step 1 is up to date ([made] exist from its last run; mvn clean removes them)') : log
assert new File(basedir, 'target/jetpack/build/made/file').text.trim() == 'made'
return true
