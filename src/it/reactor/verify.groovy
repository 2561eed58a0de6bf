def common = evaluate(new File(itDirectory, 'common.groovy'))
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
assert !log.toLowerCase().contains('thread-safe') && !log.contains('threadSafe') : 'thread-safety warning'

def base = new File(basedir, 'base/target/reactor-base-1.0.aci')
def baseId = new File(basedir, 'base/target/reactor-base-1.0.aci.id').text.trim()
assert common.manifestOf(base).name == 'dev.jetpack.it/reactor-base'
assert common.entriesOf(base).contains('rootfs/bin/sh')

def app = new File(basedir, 'app/target/reactor-app-1.0.aci')
def appManifest = common.manifestOf(app)
assert appManifest.name == 'example.com/reactor-app'              // from the POM's <manifest>
assert appManifest.app.exec == ['/bin/cat', '/srv/hello']
assert common.label(appManifest, 'version') == '1.0'
assert common.fileOf(app, 'srv/hello') == 'hello from app\n'
assert common.entriesOf(app).contains('rootfs/bin/sh')       // flat: the parent's files too

def layered = new File(basedir, 'layered/target/reactor-layered-1.0.aci')
def layeredManifest = common.manifestOf(layered)
assert layeredManifest.dependencies.size() == 1
assert layeredManifest.dependencies[0].imageName == 'dev.jetpack.it/reactor-base'
assert layeredManifest.dependencies[0].imageID == baseId
def entries = common.entriesOf(layered)
assert entries.any { it.startsWith('rootfs/srv/layer') }
assert !entries.contains('rootfs/bin/sh') : 'layered output holds the parent\'s files'

// install put every ACI into the local repository
def repo = new File(localRepositoryPath, 'dev/jetpack/it')
['base', 'app', 'layered'].each { m ->
    def installed = new File(repo, "reactor-${m}/1.0/reactor-${m}-1.0.aci")
    assert installed.isFile() : "not installed: ${installed}"
    assert installed.bytes == new File(basedir, "${m}/target/reactor-${m}-1.0.aci").bytes
}
return true
