// The parent: busybox with a fake apt-get that records its calls (busybox has no package manager).
def common = evaluate(new File(itDirectory, 'common.groovy'))
def tree = common.busyboxRootfs(new File(basedir, 'target/parent-tree'),
        ['usr/bin/apt-get': [common.fakeAptGet, 'rwxr-xr-x'], 'etc/parent-file': 'from the parent\n'])
common.makeAci(tree, 'dev.jetpack.it/derivative-parent', new File(basedir, 'parent/parent.aci'))
return true
