def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')

def staged = new File(basedir, 'target/jetpack/build')
assert new File(staged, 'manifest.json').text.contains('dev.jetpack.it/prepare-deps')
assert new File(staged, 'etc/motd').text == 'static file\n'

def lib = new File(staged, 'lib')
def jars = lib.list().sort()
// the project's jar and commons-compress with its runtime dependencies; no test-scope junit
assert jars.contains('prepare-deps-1.0.jar') : jars
assert jars.contains('commons-compress-1.28.0.jar') : jars
assert jars.any { it.startsWith('commons-io-') } : jars
assert jars.any { it.startsWith('commons-lang3-') } : jars
assert !jars.any { it.startsWith('junit') || it.startsWith('opentest4j') || it.startsWith('apiguardian') } : jars
assert new File(lib, 'prepare-deps-1.0.jar').length() == new File(basedir, 'target/prepare-deps-1.0.jar').length()

// the prepare steps ran, in order, in the staged directory
assert new File(staged, 'lib.txt').text.readLines().sort() == jars
assert new File(staged, 'prepared.txt').text.trim() == "prepared in ${staged.canonicalPath}"
assert log.contains('+ ls lib > lib.txt')

// the source tree is never modified
def source = new File(basedir, 'src/main/image')
assert source.list().sort() == ['etc', 'manifest.json'] : source.list()

// -T2: the build really ran parallel, and every goal of it is thread-safe
assert log.contains('thread count of 2')
assert !(log =~ /(?i)thread-?safe/) : 'Maven warned about a goal that is not thread-safe'
return true
