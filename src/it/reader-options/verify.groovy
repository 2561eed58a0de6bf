// -Djetpack.devices=all let the parent's disk device into the store and the build; a run without it fails and
// says which parameter allows it.
def common = evaluate(new File(itDirectory, 'common.groovy'))
def report = { String line -> println "[reader-options] ${line}" }
assert new File(basedir, 'build.log').text.contains('BUILD SUCCESS')
def aci = new File(basedir, 'target/reader-options-1.0.aci')
assert common.fileOf(aci, 'disk/checked') == 'seen\n'
def listing = common.run(['tar', '-tvf', aci.path])
assert listing.readLines().any { it.startsWith('b') && it.contains('8,0') && it.endsWith('rootfs/disk/sda') }
report('devices=all: the build saw /disk/sda and the image keeps it')

def log = new File(basedir, 'default-devices.log')
def run = common.startMaven(basedir, localRepositoryPath, log,
        ['package', '-Djetpack.store=' + new File(basedir, 'target/fresh-store').path])
assert common.finish(run, 'the run with the default device policy') != 0
def text = log.text
assert text.contains('BUILD FAILURE')
assert text.contains("entry 'rootfs/disk/sda'") && text.contains('device policy standard')
assert text.contains('allow its devices with <devices>all</devices> (-Djetpack.devices=all)')
report('default devices: refused, naming the parameter')
return true
