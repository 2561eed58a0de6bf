def common = evaluate(new File(itDirectory, 'common.groovy'))
def log = new File(basedir, 'build.log').text
assert log.count('Wrote flat image') == 2 : 'the unchanged second build ran the command again'
assert log.count('is up to date') == 1
assert log.contains('Rebuilding noop-1.0.aci: changed since the last build: build script')
assert new File(basedir, 'target/noop-1.0.aci.fingerprint').isFile()
assert common.fileOf(new File(basedir, 'target/noop-1.0.aci'), 'step') == 'changed\n'
return true
