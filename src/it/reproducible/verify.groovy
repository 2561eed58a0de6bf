def common = evaluate(new File(itDirectory, 'common.groovy'))
def first = new File(basedir, 'target/first.aci'), second = new File(basedir, 'target/second.aci')
def firstId = new File(basedir, 'target/first.aci.id').text.trim()
assert firstId == new File(basedir, 'target/second.aci.id').text.trim()
def manifest = common.manifestOf(first)
assert common.annotation(manifest, 'timestamp') == '2026-01-02T03:04:05Z'
// the files the step wrote got different times in the two builds; the fixed time hides that
assert common.run(['tar', '--full-time', '-tvf', first.path]).readLines().every { it.contains('2026-01-02 03:04:05') }
assert first.bytes == second.bytes
return true
