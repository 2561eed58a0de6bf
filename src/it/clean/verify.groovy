def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
['rootfs.tar.gz', 'cache', 'out/a.tmp', 'out/b.tmp', 'target'].each { path ->
    assert !new File(basedir, path).exists() : "${path} survived mvn clean"
}
assert new File(basedir, 'out/keep.txt').exists() : 'a file not matching out/*.tmp was removed'
// jetpack:clean itself (not maven-clean-plugin's removal of target/) removed each, and said so.
['rootfs.tar.gz', 'cache', 'out/a.tmp', 'out/b.tmp', 'target/jetpack', 'target/clean-1.0.aci',
 'target/clean-1.0.aci.id'].each { path ->
    def expected = 'Deleting ' + new File(basedir, path).canonicalPath
    assert log.contains(expected) : "no line '${expected}'"
}
// The jetpack goal runs first in the clean phase, then maven-clean-plugin removes target/ (matched by the
// Deleting lines: Maven 3.8 and 3.9 name plugins differently in their headers).
def lines = log.readLines()
def ours = lines.findIndexOf { it.endsWith('Deleting ' + new File(basedir, 'rootfs.tar.gz').canonicalPath) }
def mavenClean = lines.findIndexOf { it.endsWith('Deleting ' + new File(basedir, 'target').canonicalPath) }
assert ours >= 0 && mavenClean > ours : 'jetpack:clean did not run before maven-clean-plugin'
return true
