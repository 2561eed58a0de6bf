// The parent: the host base with a file the build deletes (a whiteout in the exported image).
def common = evaluate(new File(itDirectory, 'common.groovy'))
def tree = common.hostRootfs(new File(basedir, 'target/parent-tree'), ['etc/parent-only': 'deleted by the build\n'])
common.makeAci(tree, 'dev.jetpack.it/export-oci-parent', new File(basedir, 'parent/parent.aci'))
return true
