// The parent the server hands out: the host base plus a file, gzip (about 3 MB: big enough to stall halfway).
def common = evaluate(new File(itDirectory, 'common.groovy'))
def tree = common.hostRootfs(new File(basedir, 'target/parent-tree'), ['etc/parent-file': 'from the parent\n'])
common.makeAci(tree, 'dev.jetpack.it/killed-maven-parent', new File(basedir, 'target/parent.aci'))
return true
