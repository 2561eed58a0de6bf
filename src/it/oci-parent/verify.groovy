// The issue's "done when" through Maven: a plugin-built image, pushed to a loopback docker-registry, is the parent
// of another plugin build through docker://; offline, with the registry stopped, the store alone serves it.
import dev.jetpack.engine.EngineLog
import dev.jetpack.engine.Jetpack
import dev.jetpack.engine.JetpackSettings
import dev.jetpack.engine.ProgressListener
import dev.jetpack.engine.fetch.FetchOptions
import dev.jetpack.engine.oci.OciExportFormat
import dev.jetpack.engine.oci.OciExportOptions
import dev.jetpack.engine.oci.OciReference

def common = evaluate(new File(itDirectory, 'common.groovy'))
def report = { String line -> println "[oci-parent] ${line}" }

common.hostRootfs(new File(basedir, 'base/rootfs'),
        ['etc/base-file': 'from the pushed base\n', 'etc/doomed': 'deleted by the app build\n'])

// docker-registry on 127.0.0.1 with a config of our own (never the packaged one, which listens everywhere);
// under timeout, so that it cannot outlive a run that dies before the finally block.
int port = new ServerSocket(0, 1, InetAddress.getByName('127.0.0.1')).withCloseable { it.localPort }
def registryDir = new File(basedir, 'target/registry')
registryDir.mkdirs()
def config = new File(registryDir, 'config.yml')
config.text = """version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: ${registryDir}/data
http:
  addr: 127.0.0.1:${port}
"""
def registry = new ProcessBuilder('timeout', '900', 'docker-registry', 'serve', config.path)
        .redirectErrorStream(true).redirectOutput(new File(registryDir, 'registry.log')).start()
try {
    common.waitFor('the registry to listen', 30) {
        try { new Socket('127.0.0.1', port).close(); true } catch (IOException e) { false }
    }

    def baseLog = new File(basedir, 'base.log')
    assert common.finish(common.startMaven(new File(basedir, 'base'), localRepositoryPath, baseLog, ['package']),
            'the base build') == 0 : baseLog.text
    def baseAci = new File(basedir, 'base/target/oci-base-1.0.aci')
    assert baseAci.isFile()
    report("built ${baseAci.name} with the plugin")

    def jetpack = new Jetpack(JetpackSettings.builder().storeLocation(new File(basedir, 'target/export-store').toPath())
            .build(), EngineLog.SILENT, ProgressListener.NONE)
    def stored = jetpack.importImage(baseAci.path, Optional.empty(), Optional.empty(), FetchOptions.defaults())
    def layout = new File(basedir, 'target/layout')
    jetpack.exportOci(stored.id().value(), OciExportOptions.builder(OciExportFormat.OCI_LAYOUT, layout.toPath())
            .reference(OciReference.parse('it/base:1.0')).build())
    def parent = "docker://127.0.0.1:${port}/it/base:1.0"
    common.run(['skopeo', 'copy', '--dest-tls-verify=false', "oci:${layout}:1.0", parent])
    report("pushed it to ${parent} with skopeo copy")

    def appLog = new File(basedir, 'app.log')
    assert common.finish(common.startMaven(new File(basedir, 'app'), localRepositoryPath, appLog,
            ["-Dit.parent=${parent}", 'package']), 'the app build') == 0 : appLog.text
    def appAci = new File(basedir, 'app/target/oci-app-1.0.aci')
    assert appAci.isFile()
    assert common.fileOf(appAci, 'srv/seen') == 'from the pushed base\n'
    def entries = common.entriesOf(appAci)
    assert entries.contains('rootfs/etc/base-file')
    assert entries.any { it == 'rootfs/bin/sh' || it.endsWith('/sh') }
    assert !entries.contains('rootfs/etc/doomed')
    assert appLog.text.contains("Imported ${parent}")
    assert appLog.text.contains('allowHttp')
    report("built ${appAci.name} on it: ${entries.size()} entries")

    // Offline (-o), the registry gone: the pulled parent comes from the store, nothing is pulled.
    registry.destroy()
    assert registry.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)
    new File(basedir, 'app/src/main/image').mkdirs()
    new File(basedir, 'app/src/main/image/changed.txt').text = 'a changed input, so that the image is built again\n'
    def offlineLog = new File(basedir, 'app-offline.log')
    assert common.finish(common.startMaven(new File(basedir, 'app'), localRepositoryPath, offlineLog,
            ['-o', "-Dit.parent=${parent}", 'package']), 'the offline app build') == 0 : offlineLog.text
    assert offlineLog.text.contains('not pulled again')
    assert common.fileOf(appAci, 'srv/seen') == 'from the pushed base\n'
    report('rebuilt offline with the registry stopped: the parent came from the store')
} finally {
    registry.destroy()
    registry.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)
}
return true
