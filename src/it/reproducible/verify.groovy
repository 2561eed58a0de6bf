def common = evaluate(new File(itDirectory, 'common.groovy'))
def first = new File(basedir, 'target/first.aci'), second = new File(basedir, 'target/second.aci')
def firstId = new File(basedir, 'target/first.aci.id').text.trim()
assert firstId == new File(basedir, 'target/second.aci.id').text.trim()
def manifest = common.manifestOf(first)
assert common.annotation(manifest, 'timestamp') == '2026-01-02T03:04:05Z'
// the files the step wrote got different times in the two builds; the fixed time hides that
assert common.run(['tar', '--full-time', '-tvf', first.path]).readLines().every { it.contains('2026-01-02 03:04:05') }
assert first.bytes == second.bytes
// On Maven 3.9 and 4 (the other-mavens profile) the same project must give the same image as on the outer
// build's Maven, whose run of this case (referenceRun) came first.
if (binding.hasVariable('referenceRun')) {
    def reference = new File(referenceRun as String, 'reproducible/target/first.aci.id')
    assert reference.isFile() : "the outer Maven's run of this case left no ${reference}"
    assert firstId == reference.text.trim() : "Maven ${mavenVersion} built ${firstId}, the outer Maven ${reference.text.trim()}"
    assert first.bytes == new File(referenceRun as String, 'reproducible/target/first.aci').bytes
    println "[reproducible] Maven ${mavenVersion}: the same image ${firstId} as the outer Maven"
}
return true
