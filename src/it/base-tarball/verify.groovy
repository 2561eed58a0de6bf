def common = evaluate(new File(itDirectory, 'common.groovy'))
def aci = new File(basedir, 'target/base-tarball-1.0.aci')
assert aci.isFile()
assert common.compressionOf(aci) == 'gzip'
def id = new File(basedir, 'target/base-tarball-1.0.aci.id').text.trim()
assert id ==~ /sha512-[0-9a-f]{128}/
// The ID is the SHA-512 of the uncompressed tar.
def tar = new java.util.zip.GZIPInputStream(aci.newInputStream())
def digest = java.security.MessageDigest.getInstance('SHA-512')
byte[] buffer = new byte[65536]
for (int n; (n = tar.read(buffer)) > 0;) { digest.update(buffer, 0, n) }
assert id == 'sha512-' + digest.digest().encodeHex().toString()

def manifest = common.manifestOf(aci)
// From the project: the name (groupId/artifactId) and the version label; from manifest.json: the rest.
assert manifest.name == 'dev.jetpack.it/base-tarball'
assert common.label(manifest, 'version') == '1.0'
assert common.label(manifest, 'os') == 'linux' && common.label(manifest, 'arch') == 'amd64'
assert manifest.app.exec == ['/bin/sh', '-c', 'cat /etc/motd']
assert common.annotation(manifest, 'timestamp') != null
assert !manifest.dependencies

def entries = common.entriesOf(aci)
assert entries.contains('manifest')
assert entries.any { it ==~ /rootfs\/?(\.\/)?bin\/sh/ } : entries.take(20)
assert common.fileOf(aci, 'etc/motd') == 'made from a tarball\n'

def log = new File(basedir, 'build.log').text
assert log.contains('as the project\'s artifact')
return true
