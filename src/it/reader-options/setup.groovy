// The parent: the host base with a block device 8:0 (a disk), which the default device policy refuses.
def common = evaluate(new File(itDirectory, 'common.groovy'))
def tree = common.hostRootfs(new File(basedir, 'target/parent-tree'))
new File(tree, 'disk').mkdirs()
common.run(['mknod', new File(tree, 'disk/sda').path, 'b', '8', '0'])
common.makeAci(tree, 'dev.jetpack.it/reader-options-parent', new File(basedir, 'parent/parent.aci'))
return true
