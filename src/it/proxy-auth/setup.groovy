def common = evaluate(new File(itDirectory, "common.groovy"))
def tree = common.hostRootfs(new File(basedir, "target/parent-tree"), ["etc/parent-file": "from the parent\n"])
common.makeAci(tree, "dev.jetpack.it/proxied-parent", new File(basedir, "parent.aci"))
return true
