// mvn deploy of image projects to a real HTTP repository (nginx WebDAV with htpasswd on 127.0.0.1, started and
// stopped here): a release with the password plain in settings.xml, a SNAPSHOT (deployed twice: timestamped,
// build numbers 1 and 2) with the password encrypted by Maven (settings-security.xml). Then a consumer reactor
// builds on both by coordinates from an empty local repository, through the server's maven-metadata.xml.
import groovy.xml.XmlSlurper

def common = evaluate(new File(itDirectory, 'common.groovy'))
assert new File(basedir, 'build.log').text.contains('BUILD SUCCESS')
def target = new File(basedir, 'target')
def report = { String line -> println "[webdav-deploy] ${line}" }

def password = 'dav-deployer-pw', masterPassword = 'dav-master-pw'
def security = new File(target, 'settings-security.xml')
def encrypted = common.encryptedPassword(security, masterPassword, password)
assert encrypted != password && !encrypted.contains(password)
// The repositories are not mirrored (the mirror serves the plugins from the ITs' local repository); reading and
// deploying use the same user, once with the plain password, once with the encrypted one.
def settings = { String text ->
    text.replace('<mirrorOf>*,!deployed</mirrorOf>', '<mirrorOf>*,!deployed,!webdav,!webdav-encrypted</mirrorOf>')
        .replace('<servers>', """<servers>
    <server><id>webdav</id><username>deployer</username><password>${password}</password></server>
    <server><id>webdav-encrypted</id><username>deployer</username><password>${encrypted}</password></server>""")
}
def dav = common.nginxDav(new File(target, 'nginx'), [deployer: password])
try {
    def arguments = ["-Ddav.url=${dav.url}", "-Dsettings.security=${security.path}"]
    def producerRepository = new File(target, 'producer-repo')
    def maven = { File directory, File localRepository, String log, List<String> more ->
        def file = new File(basedir, log)
        int exit = common.finish(common.startMaven(directory, localRepository, file, arguments + more, '',
                [mirror: localRepositoryPath, settings: settings]), log)
        assert exit == 0 : "${log}: exit ${exit}\n${file.text}\nnginx: ${dav.log()}"
        file.text
    }
    def deployLog = maven(basedir, producerRepository, 'deploy-1.log', ['-Dmaven.install.skip=true', '-pl', 'release,snapshot', 'deploy'])
    def deployLog2 = maven(basedir, producerRepository, 'deploy-2.log',
            ['-Dmaven.install.skip=true', '-Ddav.build=2', '-pl', 'snapshot', 'deploy'])

    def repo = new File(dav.root, 'repo/dev/jetpack/it')
    def release = new File(repo, 'dav-release/1.0/dav-release-1.0.aci')
    assert release.isFile() && new File(repo, 'dav-release/1.0/dav-release-1.0.pom').isFile()
    assert new File(repo, 'dav-release/1.0/dav-release-1.0.aci.sha1').text.trim() == release.bytes.digest('SHA-1')
    def releaseMetadata = new XmlSlurper().parse(new File(repo, 'dav-release/maven-metadata.xml'))
    assert releaseMetadata.versioning.release.text() == '1.0'

    def snapshotDir = new File(repo, 'dav-snapshot/1.0-SNAPSHOT')
    def metadata = new XmlSlurper().parse(new File(snapshotDir, 'maven-metadata.xml'))
    assert metadata.versioning.snapshot.buildNumber.text() == '2'
    def timestamp = metadata.versioning.snapshot.timestamp.text()
    def snapshots = snapshotDir.listFiles().findAll { it.name ==~ /dav-snapshot-1\.0-\d{8}\.\d{6}-\d+\.aci/ }.sort { it.name }
    assert snapshots.size() == 2 : "two timestamped SNAPSHOT ACIs on the server, found ${snapshotDir.list()}"
    def latest = new File(snapshotDir, "dav-snapshot-1.0-${timestamp}-2.aci")
    assert latest.isFile()
    assert common.idOf(snapshots[0]) != common.idOf(latest) : 'the second SNAPSHOT deploy should be a new image'
    assert common.annotation(common.manifestOf(latest), 'build') == '2'
    report "deployed ${release.name} and ${snapshots*.name} to ${dav.url}/repo"
    // The resolver deployed what the plugin built, byte for byte.
    assert release.bytes == new File(basedir, 'release/target/dav-release-1.0.aci').bytes
    assert latest.bytes == new File(basedir, 'snapshot/target/dav-snapshot-1.0-SNAPSHOT.aci').bytes
    // Every upload was authenticated (nginx logs the user of each PUT; 201 Created, 204 for metadata replaced).
    def puts = dav.log().readLines().findAll { it.contains('"PUT ') }
    assert puts.size() >= 27 : "too few uploads: ${puts.size()}"
    def odd = puts.findAll { !(it.contains(' deployer [') && (it.contains('" 201 ') || it.contains('" 204 '))) }
    assert odd.isEmpty() : odd.join('\n')
    assert !new File(producerRepository, 'dev/jetpack/it/dav-release/1.0/dav-release-1.0.aci').exists()

    // The consumer: a local repository that never held either image; the mirror serves only the plugins.
    def consumerRepository = new File(target, 'consumer-repo')
    assert !consumerRepository.exists()
    assert !new File(localRepositoryPath, 'dev/jetpack/it/dav-release').exists()
    assert !new File(localRepositoryPath, 'dev/jetpack/it/dav-snapshot').exists()
    def consumeLog = maven(new File(basedir, 'consumer'), consumerRepository, 'consume.log', ['package'])
    assert dav.log().readLines().any { it.contains('GET /repo/dev/jetpack/it/dav-snapshot/1.0-SNAPSHOT/maven-metadata.xml ')
            && it.contains('" 200 ') } : 'the SNAPSHOT was not looked up through maven-metadata.xml'
    def fromRelease = common.manifestOf(new File(basedir, 'consumer/from-release/target/dav-from-release-1.0.aci'))
    def fromSnapshot = common.manifestOf(new File(basedir, 'consumer/from-snapshot/target/dav-from-snapshot-1.0.aci'))
    assert fromRelease.dependencies*.imageID == [common.idOf(release)]
    assert fromSnapshot.dependencies*.imageID == [common.idOf(latest)] : 'the consumer did not get the newest SNAPSHOT'
    def resolved = new File(consumerRepository, 'dev/jetpack/it/dav-release/1.0')
    assert new File(resolved, 'dav-release-1.0.aci').bytes == release.bytes
    assert new File(resolved, '_remote.repositories').text.contains('>webdav=')
    report "consumer resolved dav-release:1.0 and dav-snapshot:1.0-SNAPSHOT (${timestamp}-2) from an empty local repository"

    // No password in any log, plain or encrypted, nor the master password.
    [deployLog, deployLog2, consumeLog].each { log ->
        [password, masterPassword, encrypted].each { assert !log.contains(it) : "a password is in a log" }
    }
} finally {
    dav.stop()
}
return true
