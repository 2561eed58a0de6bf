def common = evaluate(new File(itDirectory, 'common.groovy'))
def log = new File(basedir, 'build.log').text
assert log.count('Wrote flat image') == 2 : 'the unchanged second build ran the command again'
assert log.count('noop-1.0.aci is up to date') == 1
assert log.contains('Rebuilding noop-1.0.aci: changed since the last build: build script')
assert new File(basedir, 'target/noop-1.0.aci.fingerprint').isFile()
assert common.fileOf(new File(basedir, 'target/noop-1.0.aci'), 'step') == 'changed\n'

// jetpack:prepare staged the build directory in the first build, kept the staged copy in the second, and staged
// the other build directory afresh in the third: nothing of the first one lingers.
def staging = new File(basedir, 'target/jetpack/build').canonicalPath
assert log.count("Staged build directory ${new File(basedir, 'src/main/image').canonicalPath} into ${staging}") == 1 : log
assert log.count("Staged build directory ${staging} is up to date") == 1 : log
assert log.count("Staged build directory ${new File(basedir, 'src/second/image').canonicalPath} into ${staging}") == 1 : log
assert !new File(staging, 'extra.txt').exists()
return true
