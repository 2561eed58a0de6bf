package dev.jetpack.engine.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.fetch.discovery.AppcDiscovery;
import dev.jetpack.engine.fetch.discovery.DiscoveryOptions;
import dev.jetpack.engine.fetch.http.EnvironmentProxySelector;
import dev.jetpack.engine.fetch.http.HttpFetcher;
import dev.jetpack.engine.fetch.http.HttpSettings;
import dev.jetpack.engine.fetch.http.TlsPolicy;
import dev.jetpack.engine.fetch.trust.KeyAcceptance;
import dev.jetpack.engine.fetch.trust.SignatureVerifier;
import dev.jetpack.engine.fetch.trust.TrustScope;
import dev.jetpack.engine.fetch.trust.TrustStore;
import dev.jetpack.engine.fetch.trust.UnknownSignerException;
import dev.jetpack.engine.store.ImageStore;
import dev.jetpack.engine.store.ImportOptions;
import dev.jetpack.engine.testing.RecordingLog;
import dev.jetpack.engine.testing.TestHttpServer;
import dev.jetpack.engine.testing.TestImages;
import dev.jetpack.engine.testing.TestKeys;
import dev.jetpack.engine.testing.TestKeys.TestKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDownloaderTest {
    private static TestKey publisher;
    private static TestKey stranger;

    @TempDir
    Path dir;

    private TestHttpServer https;
    private final RecordingLog log = new RecordingLog();
    private ImageStore store;
    private ImageDownloader downloader;
    private FetchOptions options;
    private TrustStore trust;
    private TestImages.Aci aci;
    private byte[] bytes;

    @BeforeAll
    static void keys() {
        publisher = TestKeys.ed25519("Publisher <images@example.com>");
        stranger = TestKeys.ed25519("Stranger <x@example.net>");
    }

    @BeforeEach
    void setUp() throws IOException {
        https = TestHttpServer.https();
        HttpFetcher http = new HttpFetcher(HttpSettings.builder()
                .tls(TlsPolicy.trusting(https.clientSslContext(), "the test certificate"))
                .proxySelector(EnvironmentProxySelector.from(Map.of(), new Properties()))
                .build(), log);
        trust = new TrustStore(dir.resolve("trustedkeys"), log);
        trust.add(TrustScope.prefix("example.com"), publisher.armoredPublicKey(),
                KeyAcceptance.fingerprint(publisher.fingerprint()), "test");
        store = ImageStore.open(dir.resolve("store"), log);
        downloader = new ImageDownloader(http, new AppcDiscovery(http, log), new SignatureVerifier(trust), store, log);
        options = FetchOptions.builder().discovery(DiscoveryOptions.builder()
                .os("linux").arch("amd64")
                .discoveryUri(prefix -> https.uri("/" + prefix + "?ac-discovery=1")).build()).build();
        TestImages images = new TestImages(Files.createDirectories(dir.resolve("acis")));
        aci = images.simple(TestImages.manifest("example.com/app", "version", "1.0", "os", "linux", "arch", "amd64"),
                "the image");
        bytes = aci.bytes();
    }

    @AfterEach
    void tearDown() {
        https.close();
    }

    private void publish(String... templates) {
        StringBuilder page = new StringBuilder("<html><head>");
        for (String template : templates) {
            page.append("<meta name=\"ac-discovery\" content=\"example.com ").append(https.uri(""))
                    .append(template).append("\">");
        }
        https.serveText("/example.com/app", page.append("</head></html>").toString());
    }

    private Download download(String what, FetchOptions fetchOptions) {
        return downloader.download(ImageSource.parse(what), fetchOptions);
    }

    @Test
    void aDiscoveredSignedImageIsVerifiedAndASecondFetchDownloadsNothing() {
        publish("/{name}-{version}-{os}-{arch}.{ext}");
        https.serveWithEtag("/example.com/app-1.0-linux-amd64.aci", bytes, "\"etag-1\"");
        https.serve("/example.com/app-1.0-linux-amd64.aci.asc", publisher.sign(bytes));

        try (Download first = download("example.com/app:1.0", options)) {
            assertThat(first).isInstanceOf(Download.Staged.class);
            Download.Staged staged = (Download.Staged) first;
            assertThat(staged.image().aciFile()).hasBinaryContent(bytes);
            assertThat(staged.image().id()).isEqualTo(aci.id());
            assertThat(first.signature()).hasValueSatisfying(
                    s -> assertThat(s.fingerprint()).isEqualTo(publisher.fingerprint()));
            assertThat(store.list()).as("staged, not yet visible").isEmpty();
            downloader.commit(staged, ImportOptions.defaults());
        }
        try (Download second = download("example.com/app:1.0", options)) {
            assertThat(second).isInstanceOf(Download.NotModified.class);
            assertThat(((Download.NotModified) second).image().id()).isEqualTo(aci.id());
            assertThat(second.signature()).isPresent();
        }
        assertThat(https.bodiesSent("/example.com/app-1.0-linux-amd64.aci")).isEqualTo(1);
        assertThat(log.messages()).anyMatch(m -> m.contains("not modified"));
    }

    @Test
    void anUntrustedSignerIsRejectedBeforeTheImageIsDownloaded() {
        publish("/{name}.{ext}");
        https.serve("/example.com/app.aci", bytes);
        https.serve("/example.com/app.aci.asc", stranger.sign(bytes));

        assertThatThrownBy(() -> download("example.com/app", options))
                .isInstanceOf(UnknownSignerException.class)
                .hasMessageContaining(stranger.fingerprint());
        assertThat(https.requests("/example.com/app.aci")).isZero();
    }

    @Test
    void mirrorsServingDamagedOrAlteredBytesAreSkippedForTheNextEndpoint() throws IOException {
        publish("/damaged/{name}.{ext}", "/evil/{name}.{ext}", "/good/{name}.{ext}");
        byte[] damaged = bytes.clone();
        damaged[0] ^= 1; // no longer gzip: cannot even be unpacked
        https.serve("/damaged/example.com/app.aci", damaged);
        https.serve("/damaged/example.com/app.aci.asc", publisher.sign(bytes));
        // A readable image, but not the one that was signed.
        byte[] altered = new TestImages(Files.createDirectories(dir.resolve("evil"))).simple(
                TestImages.manifest("example.com/app", "os", "linux", "arch", "amd64"), "altered").bytes();
        https.serve("/evil/example.com/app.aci", altered);
        https.serve("/evil/example.com/app.aci.asc", publisher.sign(bytes));
        https.serve("/good/example.com/app.aci", bytes);
        https.serve("/good/example.com/app.aci.asc", publisher.sign(bytes));

        try (Download image = download("example.com/app", options)) {
            assertThat(((Download.Staged) image).image().aciFile()).hasBinaryContent(bytes);
            assertThat(log.warnings()).anyMatch(w -> w.contains("/damaged/") && w.contains("could not be read"));
            assertThat(log.warnings()).anyMatch(w -> w.contains("/evil/") && w.contains("BAD signature"));
            assertThat(stagingDirectories()).as("the failed endpoints' staging was deleted").hasSize(1);
        }
        assertThat(stagingDirectories()).isEmpty();
        assertThat(store.list()).isEmpty();
    }

    @Test
    void aMissingSignatureFailsADiscoveredFetch() {
        publish("/{name}.{ext}");
        https.serve("/example.com/app.aci", bytes);

        assertThatThrownBy(() -> download("example.com/app", options))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("HTTP 404")
                .hasMessageContaining("app.aci.asc");
        assertThat(https.requests("/example.com/app.aci")).isZero();
    }

    @Test
    void skippingSignaturesIsExplicitAndWarned() {
        publish("/{name}.{ext}");
        https.serve("/example.com/app.aci", bytes);

        try (Download image = download("example.com/app", options.toBuilder().insecureSkipSignature(true).build())) {
            assertThat(((Download.Staged) image).image().aciFile()).hasBinaryContent(bytes);
            assertThat(image.signature()).isEmpty();
        }
        assertThat(https.requests("/example.com/app.aci.asc")).isZero();
        assertThat(log.warnings()).anyMatch(w -> w.contains("Signature checks are OFF"));
    }

    @Test
    void aUrlIsVerifiedWithItsSignatureFileWhenThereIsOne() {
        https.serve("/direct/app.aci", bytes);
        https.serve("/direct/app.aci.asc", publisher.sign(bytes));
        https.serve("/direct/unsigned.aci", bytes);
        https.serve("/direct/forged.aci", bytes);
        https.serve("/direct/forged.aci.asc", stranger.sign(bytes));

        try (Download signed = download(https.uri("/direct/app.aci").toString(), options);
                Download unsigned = download(https.uri("/direct/unsigned.aci").toString(), options)) {
            assertThat(((Download.Staged) signed).image().aciFile()).hasBinaryContent(bytes);
            assertThat(signed.signature()).hasValueSatisfying(s -> assertThat(s.fingerprint())
                    .isEqualTo(publisher.fingerprint()));
            assertThat(unsigned.signature()).isEmpty();
        }
        assertThat(log.messages()).anyMatch(m -> m.contains("verified for example.com/app"));
        assertThat(log.warnings()).anyMatch(w -> w.contains("unsigned.aci") && w.contains("has no signature"));
        assertThatThrownBy(() -> download(https.uri("/direct/forged.aci").toString(), options))
                .isInstanceOf(UnknownSignerException.class)
                .hasMessageContaining("check its fingerprint " + stranger.fingerprint() + " with them and trust the"
                        + " key for example.com/app")
                .hasMessageNotContaining("jetpack trust").hasMessageNotContaining("-fingerprint");
        assertThatThrownBy(() -> download(https.uri("/direct/unsigned.aci").toString(),
                options.toBuilder().requireSignature(true).build()))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("signature is required");
        assertThat(stagingDirectories()).isEmpty();
    }

    @Test
    void aSignatureIsOnlyGoodForTheNamesItsKeyIsTrustedFor() {
        TestKey other = TestKeys.ed25519("Other <images@example.org>");
        trust.add(TrustScope.prefix("example.org"), other.armoredPublicKey(),
                KeyAcceptance.fingerprint(other.fingerprint()), "test");
        https.serve("/direct/app.aci", bytes);
        https.serve("/direct/app.aci.asc", other.sign(bytes)); // a valid signature, but for example.org only

        assertThatThrownBy(() -> download(https.uri("/direct/app.aci").toString(), options))
                .isInstanceOf(UnknownSignerException.class)
                .hasMessageContaining("not trusted for it")
                .hasMessageContaining("trusted only for prefix example.org");
        assertThat(stagingDirectories()).isEmpty();
    }

    @Test
    void localFilesAndMavenArtifactsAreNotDownloaded() {
        assertThatThrownBy(() -> download(dir.resolve("app.aci").toString(), options))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> download("mvn:com.example:app:1.0", options))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private java.util.List<Path> stagingDirectories() {
        Path tmp = store.root().resolve("tmp");
        if (!Files.isDirectory(tmp)) {
            return java.util.List.of();
        }
        try (Stream<Path> entries = Files.list(tmp)) {
            return entries.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
