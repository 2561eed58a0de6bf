// The pushed image, pulled back with skopeo: the same manifest digest as the plugin reported, every layer's bytes
// matching its digest, and the config's diff_ids the sha256 of each uncompressed layer. The registry is stopped
// by its pid whatever happens.
import groovy.json.JsonSlurper
import java.security.MessageDigest
import java.util.zip.GZIPInputStream

def common = evaluate(new File(itDirectory, 'common.groovy'))
def target = new File(basedir, 'target/registry')
def pid = new File(target, 'registry.pid').text.trim()
def sha256 = { InputStream stream ->
    def digest = MessageDigest.getInstance('SHA-256')
    byte[] buffer = new byte[65536]
    stream.withCloseable { for (int n; (n = it.read(buffer)) > 0;) { digest.update(buffer, 0, n) } }
    'sha256:' + digest.digest().encodeHex().toString()
}
try {
    def log = new File(basedir, 'build.log').text
    assert log.contains('BUILD SUCCESS')
    def address = new File(target, 'address').text.trim()
    def reference = "${address}/it/pushed:1.0"
    def pushed = (log =~ /Pushed ${java.util.regex.Pattern.quote(reference)}@(sha256:[0-9a-f]{64})/)
    assert pushed.find() : 'no "Pushed ...@sha256:..." line in the build log'
    def digest = pushed.group(1)
    assert !log.contains('it-registry-pw') : 'the registry password is in the log'

    // skopeo reads the same kind of auth file the plugin would; the plugin itself used settings.xml.
    def authFile = new File(target, 'auth.json')
    authFile.text = '{"auths":{"' + address + '":{"auth":"' + 'itpusher:it-registry-pw'.bytes.encodeBase64() + '"}}}'
    def inspected = common.run(['skopeo', '--insecure-policy', 'inspect', '--tls-verify=false', '--authfile',
                                authFile.path, '--format', '{{.Digest}}', 'docker://' + reference]).trim()
    assert inspected == digest

    def pulled = new File(basedir, 'target/pulled')
    common.run(['skopeo', '--insecure-policy', 'copy', '--src-tls-verify=false', '--src-authfile', authFile.path,
                'docker://' + reference, 'oci:' + pulled.path + ':1.0'])
    def index = new JsonSlurper().parse(new File(pulled, 'index.json'))
    assert index.manifests*.digest == [digest]
    def blob = { String d -> new File(pulled, 'blobs/sha256/' + d.substring('sha256:'.length())) }
    assert sha256(blob(digest).newInputStream()) == digest
    def manifest = new JsonSlurper().parse(blob(digest))
    assert manifest.mediaType == 'application/vnd.oci.image.manifest.v1+json'
    def config = new JsonSlurper().parse(blob(manifest.config.digest))
    assert sha256(blob(manifest.config.digest).newInputStream()) == manifest.config.digest
    assert config.os == 'linux' && config.architecture == 'amd64'
    assert manifest.layers.size() == config.rootfs.diff_ids.size() && !manifest.layers.isEmpty()
    manifest.layers.eachWithIndex { layer, i ->
        assert sha256(blob(layer.digest).newInputStream()) == layer.digest
        assert sha256(new GZIPInputStream(blob(layer.digest).newInputStream())) == config.rootfs.diff_ids[i]
    }
    println "[push] pushed and pulled back ${reference}@${digest}: ${manifest.layers.size()} layer(s), digests equal"
} finally {
    ['kill', pid].execute().waitFor()
}
return true
