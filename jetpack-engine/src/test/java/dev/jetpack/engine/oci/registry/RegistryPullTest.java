package dev.jetpack.engine.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.fetch.http.HttpSettings;
import dev.jetpack.engine.fetch.http.TlsPolicy;
import dev.jetpack.engine.oci.Descriptor;
import dev.jetpack.engine.oci.Digest;
import dev.jetpack.engine.oci.OciConfig;
import dev.jetpack.engine.oci.OciFormatException;
import dev.jetpack.engine.oci.OciIndex;
import dev.jetpack.engine.oci.OciJson;
import dev.jetpack.engine.oci.OciManifest;
import dev.jetpack.engine.oci.OciMediaTypes;
import dev.jetpack.engine.testing.TestHttpServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pull side against an HTTPS test server (its certificate trusted, as TLS is always verified) that serves
 * what a registry should, or wrong bytes: every manifest, config and layer is checked against its digest.
 */
class RegistryPullTest {
    private final TestHttpServer server = TestHttpServer.https().serve("/v2/", "application/json", "{}".getBytes());

    private final byte[] layer = "layer bytes".getBytes(StandardCharsets.UTF_8);
    private final Descriptor layerBlob = new Descriptor(OciMediaTypes.LAYER_GZIP, Digest.sha256(layer), layer.length);
    private final byte[] config = OciJson.write(new OciConfig(null, null, "amd64", "linux", null, null,
            OciConfig.RootFs.of(List.of(Digest.sha256(layer))), List.of()));
    private final Descriptor configBlob = new Descriptor(OciMediaTypes.CONFIG, Digest.sha256(config), config.length);
    private final byte[] manifest = OciJson.write(OciManifest.of(configBlob, List.of(layerBlob)));
    private final Digest manifestDigest = Digest.sha256(manifest);

    @AfterEach
    void stop() {
        server.close();
    }

    private RegistryReference reference(String suffix) {
        return RegistryReference.parse("127.0.0.1:" + server.port() + "/team/app" + suffix);
    }

    private RegistryClient client() {
        return new RegistryClient(reference(":1"), RegistryOptions.builder()
                .http(HttpSettings.builder().tls(TlsPolicy.trusting(server.clientSslContext(), "the test server's"
                        + " certificate")).build())
                .credentials(CredentialStore.builder().environment(Map.of()).home(Path.of("/nonexistent")).build())
                .build(), EngineLog.SILENT);
    }

    private void serveImage(byte[] configBytes, byte[] layerBytes) {
        server.serve("/v2/team/app/manifests/1", OciMediaTypes.MANIFEST, manifest)
                .serve("/v2/team/app/manifests/" + manifestDigest, OciMediaTypes.MANIFEST, manifest)
                .serve("/v2/team/app/blobs/" + configBlob.digest(), configBytes)
                .serve("/v2/team/app/blobs/" + layerBlob.digest(), layerBytes);
    }

    @Test
    void aGoodImageResolvesAndItsLayerReadsWhole() throws Exception {
        serveImage(config, layer);
        RegistryClient client = client();

        RemoteImage image = new ImagePuller(client).resolve(reference(":1"), PlatformSelector.host());

        assertThat(image.reference().digest()).contains(manifestDigest);
        assertThat(image.configBytes()).isEqualTo(config);
        try (InputStream in = client.openBlob(image.reference(), image.manifest().layers().get(0))) {
            assertThat(in.readAllBytes()).isEqualTo(layer);
        }
    }

    @Test
    void aConfigWithWrongBytesIsRefused() {
        byte[] wrong = config.clone();
        wrong[wrong.length - 2] ^= 1;
        serveImage(wrong, layer);

        assertThatThrownBy(() -> new ImagePuller(client()).resolve(reference(":1"), PlatformSelector.host()))
                .isInstanceOf(OciFormatException.class)
                .hasMessageContaining("does not match its digest " + configBlob.digest())
                .hasMessageContaining("refused");
    }

    @Test
    void aLayerWithWrongBytesFailsAtItsEnd() {
        serveImage(config, "LAYER BYTES".getBytes(StandardCharsets.UTF_8));
        RegistryClient client = client();

        assertThatThrownBy(() -> {
            try (InputStream in = client.openBlob(reference(":1"), layerBlob)) {
                in.readAllBytes();
            }
        }).isInstanceOf(OciFormatException.class).hasMessageContaining("does not match its digest");
    }

    @Test
    void aManifestThatIsNotTheDigestAskedForIsRefused() {
        byte[] other = OciJson.write(OciManifest.of(configBlob, List.of()));
        server.serve("/v2/team/app/manifests/" + manifestDigest, OciMediaTypes.MANIFEST, other);

        assertThatThrownBy(() -> client().fetchManifest(reference("@" + manifestDigest)))
                .isInstanceOf(OciFormatException.class)
                .hasMessageContaining("not the " + manifestDigest + " that was asked for");
    }

    @Test
    void aManifestWhoseAnnouncedDigestDiffersIsRefused() {
        server.handle("/v2/team/app/manifests/1", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", OciMediaTypes.MANIFEST);
            exchange.getResponseHeaders().set("Docker-Content-Digest", Digest.sha256(new byte[1]).toString());
            exchange.sendResponseHeaders(200, manifest.length);
            exchange.getResponseBody().write(manifest);
            exchange.close();
        });

        assertThatThrownBy(() -> client().fetchManifest(reference(":1")))
                .isInstanceOf(OciFormatException.class)
                .hasMessageContaining("Docker-Content-Digest");
    }

    @Test
    void anIndexGivesTheHostPlatformsManifestOrListsWhatItHas() {
        serveImage(config, layer);
        Descriptor.Platform host = PlatformSelector.host();
        Descriptor other = new Descriptor(OciMediaTypes.MANIFEST, Digest.sha256(new byte[2]), 2)
                .withPlatform(new Descriptor.Platform("s390x", "linux", null));
        Descriptor mine = new Descriptor(OciMediaTypes.MANIFEST, manifestDigest, manifest.length).withPlatform(host);
        server.serve("/v2/team/app/manifests/multi", OciMediaTypes.INDEX, OciJson.write(OciIndex.of(List.of(other, mine))))
                .serve("/v2/team/app/manifests/foreign", OciMediaTypes.INDEX, OciJson.write(OciIndex.of(List.of(other))));

        RemoteImage image = new ImagePuller(client()).resolve(reference(":multi"), host);
        assertThat(image.manifestDescriptor().digest()).isEqualTo(manifestDigest);

        assertThatThrownBy(() -> new ImagePuller(client()).resolve(reference(":foreign"), host))
                .isInstanceOf(OciFormatException.class)
                .hasMessageContaining("has no image for " + PlatformSelector.describe(host))
                .hasMessageContaining("linux/s390x");
    }

    @Test
    void blobRedirectsAreFollowed() throws Exception {
        serveImage(config, layer);
        server.redirect("/v2/team/app/blobs/" + layerBlob.digest(), 307, "/storage/layer")
                .serve("/storage/layer", layer);

        try (InputStream in = client().openBlob(reference(":1"), layerBlob)) {
            assertThat(in.readAllBytes()).isEqualTo(layer);
        }
        assertThat(server.requests("/storage/layer")).isEqualTo(1);
    }

    @Test
    void aMissingManifestSaysNotFound() {
        server.status("/v2/team/app/manifests/2", 404);

        assertThatThrownBy(() -> client().fetchManifest(reference(":2")))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("HTTP 404")
                .hasMessageContaining("check the repository, tag or digest");
    }
}
