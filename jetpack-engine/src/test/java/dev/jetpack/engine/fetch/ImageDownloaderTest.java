package dev.jetpack.engine.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.ProgressListener;
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
import dev.jetpack.engine.testing.RecordingLog;
import dev.jetpack.engine.testing.TestHttpServer;
import dev.jetpack.engine.testing.TestKeys;
import dev.jetpack.engine.testing.TestKeys.TestKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDownloaderTest {
    private static final byte[] ACI = new byte[150_000];
    private static TestKey publisher;
    private static TestKey stranger;

    @TempDir
    Path dir;

    private TestHttpServer https;
    private final RecordingLog log = new RecordingLog();
    private ImageDownloader downloader;
    private DownloadOptions options;
    private TrustStore trust;

    @BeforeAll
    static void keys() {
        new Random(3).nextBytes(ACI);
        publisher = TestKeys.ed25519("Publisher <images@example.com>");
        stranger = TestKeys.ed25519("Stranger <x@example.net>");
    }

    @BeforeEach
    void setUp() {
        https = TestHttpServer.https();
        HttpFetcher http = new HttpFetcher(HttpSettings.builder()
                .tls(TlsPolicy.trusting(https.clientSslContext(), "the test certificate"))
                .proxySelector(EnvironmentProxySelector.from(Map.of(), new Properties()))
                .cacheDirectory(dir.resolve("http-cache"))
                .build(), log);
        trust = new TrustStore(dir.resolve("trustedkeys"), log);
        trust.add(TrustScope.prefix("example.com"), publisher.armoredPublicKey(),
                KeyAcceptance.fingerprint(publisher.fingerprint()), "test");
        downloader = new ImageDownloader(http, new AppcDiscovery(http, log), new SignatureVerifier(trust), null, log);
        options = DownloadOptions.into(dir.resolve("downloads")).withDiscovery(DiscoveryOptions.builder()
                .os("linux").arch("amd64")
                .discoveryUri(prefix -> https.uri("/" + prefix + "?ac-discovery=1")).build());
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

    @Test
    void aDiscoveredSignedImageIsVerifiedAndASecondFetchDownloadsNothing() {
        publish("/{name}-{version}-{os}-{arch}.{ext}");
        https.serveWithEtag("/example.com/app-1.0-linux-amd64.aci", ACI, "\"etag-1\"");
        https.serve("/example.com/app-1.0-linux-amd64.aci.asc", publisher.sign(ACI));
        ImageSource source = ImageSource.parse("example.com/app:1.0");

        FetchedImage first = downloader.download(source, options, ProgressListener.NONE);
        FetchedImage second = downloader.download(source, options, ProgressListener.NONE);

        assertThat(first.aci()).hasBinaryContent(ACI);
        assertThat(first.verifiedSignature()).hasValueSatisfying(
                s -> assertThat(s.fingerprint()).isEqualTo(publisher.fingerprint()));
        assertThat(first.requested()).hasValue(((ImageSource.Named) source).reference());
        assertThat(first.notModified()).isFalse();
        assertThat(second.notModified()).isTrue();
        assertThat(second.verifiedSignature()).isPresent();
        assertThat(https.bodiesSent("/example.com/app-1.0-linux-amd64.aci")).isEqualTo(1);
        assertThat(log.messages()).anyMatch(m -> m.contains("not modified, using cached copy"));
    }

    @Test
    void anUntrustedSignerIsRejectedBeforeTheImageIsDownloaded() {
        publish("/{name}.{ext}");
        https.serve("/example.com/app.aci", ACI);
        https.serve("/example.com/app.aci.asc", stranger.sign(ACI));

        assertThatThrownBy(() -> downloader.download(ImageSource.parse("example.com/app"), options, ProgressListener.NONE))
                .isInstanceOf(UnknownSignerException.class)
                .hasMessageContaining(stranger.fingerprint());
        assertThat(https.requests("/example.com/app.aci")).isZero();
    }

    @Test
    void aMirrorServingAlteredBytesIsSkippedForTheNextEndpoint() throws IOException {
        publish("/evil/{name}.{ext}", "/good/{name}.{ext}");
        byte[] altered = ACI.clone();
        altered[0] ^= 1;
        https.serve("/evil/example.com/app.aci", altered);
        https.serve("/evil/example.com/app.aci.asc", publisher.sign(ACI));
        https.serve("/good/example.com/app.aci", ACI);
        https.serve("/good/example.com/app.aci.asc", publisher.sign(ACI));

        FetchedImage image = downloader.download(ImageSource.parse("example.com/app"), options, ProgressListener.NONE);

        assertThat(image.aci()).hasBinaryContent(ACI);
        assertThat(log.warnings()).anyMatch(w -> w.contains("/evil/") && w.contains("BAD signature"));
        try (var files = Files.list(dir.resolve("downloads"))) {
            assertThat(files).hasSize(1); // the altered download was deleted
        }
    }

    @Test
    void aMissingSignatureFailsADiscoveredFetch() {
        publish("/{name}.{ext}");
        https.serve("/example.com/app.aci", ACI);

        assertThatThrownBy(() -> downloader.download(ImageSource.parse("example.com/app"), options, ProgressListener.NONE))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("HTTP 404")
                .hasMessageContaining("app.aci.asc");
    }

    @Test
    void skippingSignaturesIsExplicitAndWarned() {
        publish("/{name}.{ext}");
        https.serve("/example.com/app.aci", ACI);

        FetchedImage image = downloader.download(ImageSource.parse("example.com/app"),
                options.withInsecureSkipSignature(true), ProgressListener.NONE);

        assertThat(image.aci()).hasBinaryContent(ACI);
        assertThat(image.verifiedSignature()).isEmpty();
        assertThat(https.requests("/example.com/app.aci.asc")).isZero();
        assertThat(log.warnings()).anyMatch(w -> w.contains("Signature checks are OFF"));
    }

    @Test
    void aUrlIsDownloadedWithItsSignatureFileWhenThereIsOne() {
        https.serve("/direct/app.aci", ACI);
        https.serve("/direct/app.aci.asc", publisher.sign(ACI));
        https.serve("/direct/unsigned.aci", ACI);

        FetchedImage signed = downloader.download(ImageSource.parse(https.uri("/direct/app.aci").toString()), options,
                ProgressListener.NONE);
        FetchedImage unsigned = downloader.download(ImageSource.parse(https.uri("/direct/unsigned.aci").toString()),
                options, ProgressListener.NONE);

        assertThat(signed.aci()).hasBinaryContent(ACI);
        assertThat(signed.unverifiedSignature()).hasValueSatisfying(p ->
                assertThat(new SignatureVerifier(trust).verify("example.com/app", signed.aci(), p).fingerprint())
                        .isEqualTo(publisher.fingerprint()));
        assertThat(unsigned.unverifiedSignature()).isEmpty();
    }

    @Test
    void localFilesAreUsedInPlace() throws IOException {
        Path aci = Files.write(dir.resolve("app.aci"), ACI);
        Files.write(dir.resolve("app.aci.asc"), publisher.sign(ACI));

        FetchedImage image = downloader.download(ImageSource.parse(aci.toString()), options, ProgressListener.NONE);

        assertThat(image.aci()).isEqualTo(aci);
        assertThat(image.unverifiedSignature()).hasValue(dir.resolve("app.aci.asc"));
        assertThatThrownBy(() -> downloader.download(ImageSource.parse(dir.resolve("missing.aci").toString()), options,
                ProgressListener.NONE)).isInstanceOf(FetchException.class).hasMessageContaining("does not exist");
    }

    @Test
    void mavenSourcesNeedAResolver() {
        assertThatThrownBy(() -> downloader.download(ImageSource.parse("mvn:com.example:app:1.0"), options,
                ProgressListener.NONE))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("no Maven resolver");
    }
}
