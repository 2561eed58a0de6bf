// The rootfs tarball: the host's own binaries and their libraries (HostRootfs), plus a file of our own.
def common = evaluate(new File(itDirectory, 'common.groovy'))
def tree = common.hostRootfs(new File(basedir, 'target/rootfs-tree'), ['etc/motd': 'made from a tarball\n'])
common.run(['tar', '-C', tree.path, '--owner=0', '--group=0', '-czf', new File(basedir, 'rootfs.tar.gz').path, '.'])
return true
