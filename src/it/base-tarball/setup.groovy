// The rootfs tarball: the host's static busybox with a link per applet, plus a file of our own.
def common = evaluate(new File(itDirectory, 'common.groovy'))
def tree = common.busyboxRootfs(new File(basedir, 'target/rootfs-tree'), ['etc/motd': 'made from a tarball\n'])
common.run(['tar', '-C', tree.path, '--owner=0', '--group=0', '-czf', new File(basedir, 'rootfs.tar.gz').path, '.'])
return true
