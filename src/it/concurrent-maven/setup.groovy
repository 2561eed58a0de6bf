// The parent the server hands out: the host base plus a file, gzip.
def common = evaluate(new File(itDirectory, 'common.groovy'))
def tree = common.hostRootfs(new File(basedir, 'target/parent-tree'), ['etc/parent-file': 'from the parent\n'])
common.makeAci(tree, 'dev.jetpack.it/concurrent-parent', new File(basedir, 'target/parent.aci'))
return true
