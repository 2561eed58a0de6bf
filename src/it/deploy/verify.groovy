def common = evaluate(new File(itDirectory, 'common.groovy'))
def deployed = new File(basedir, 'remote-repo/dev/jetpack/it/deploy-producer/1.0/deploy-producer-1.0.aci')
assert deployed.isFile()
assert new File(basedir, 'remote-repo/dev/jetpack/it/deploy-producer/1.0/deploy-producer-1.0.pom').isFile()
// The local repository got it only by resolving it from the remote one (its marker says where from).
def local = new File(localRepositoryPath, 'dev/jetpack/it/deploy-producer/1.0')
assert new File(local, '_remote.repositories').text.contains('deployed')

def aci = new File(basedir, 'consumer/target/deploy-consumer-1.0.aci')
def manifest = common.manifestOf(aci)
assert manifest.name == 'dev.jetpack.it/deploy-consumer'
assert common.fileOf(aci, 'consumer') == 'consumer\n'
// attached with the classifier and installed next to the jar
def installed = new File(localRepositoryPath, 'dev/jetpack/it/deploy-consumer/1.0')
assert new File(installed, 'deploy-consumer-1.0-image.aci').isFile()
assert new File(installed, 'deploy-consumer-1.0.jar').isFile()
return true
