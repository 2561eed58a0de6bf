// Build 1 ran the step and wrote the image; build 2 skipped both; build 3 ran the changed step and rebuilt.
def common = evaluate(new File(itDirectory, 'common.groovy'))
def log = new File(basedir, 'build.log').text
assert log.count('Made base image') == 2 : log
assert log.count('prepare-rootfs-1.0.aci is up to date') == 1 : log
assert log.count('Prepare step 1 is up to date') == 1 : log
// The third build names what the step made, and nothing it would only have seen by walking the rootfs.
assert log.contains('Rebuilding prepare-rootfs-1.0.aci: changed since the last build: made rootfs, top of rootfs') : log
def record = new File(basedir, 'target/prepare-rootfs-1.0.aci.fingerprint').readLines()
assert record.any { it.endsWith(' made rootfs') } && record.any { it.endsWith(' top of rootfs') } : record
assert common.fileOf(new File(basedir, 'target/prepare-rootfs-1.0.aci'), 'etc/made') == 'two\n'
return true
