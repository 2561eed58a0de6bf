def common = evaluate(new File(itDirectory, 'common.groovy'))
def log = new File(basedir, 'build.log').text
// 1: not in the store, offline: a clear failure saying what to do
assert log.contains('is not in the store')
assert log.contains('Maven is offline (-o)')
assert log.contains('Run the build once without -o')
// 3: from the store, no network
assert log.contains('found in the store')
def aci = new File(basedir, 'target/offline-1.0.aci')
assert common.fileOf(aci, 'offline') == 'offline\n'
assert common.fileOf(aci, 'etc/parent-file') == 'from the parent\n'
return true
