// The parent: the host base with a fake apt-get that records its calls (it has no package manager).
def common = evaluate(new File(itDirectory, 'common.groovy'))
def tree = common.hostRootfs(new File(basedir, 'target/parent-tree'),
        ['usr/bin/apt-get': [common.fakeAptGet, 'rwxr-xr-x'], 'etc/parent-file': 'from the parent\n'])
common.makeAci(tree, 'dev.jetpack.it/derivative-parent', new File(basedir, 'parent/parent.aci'))
return true
