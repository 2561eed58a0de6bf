package dev.jetpack.engine.fetch;

import static dev.jetpack.engine.testing.TestImages.dependency;
import static dev.jetpack.engine.testing.TestImages.manifest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.fetch.discovery.DiscoveryOptions;
import dev.jetpack.engine.fetch.discovery.HostPlatform;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.store.ImageNotFoundException;
import dev.jetpack.engine.store.ImageStore;
import dev.jetpack.engine.store.StoreException;
import dev.jetpack.engine.store.StoredImage;
import dev.jetpack.engine.testing.RecordingLog;
import dev.jetpack.engine.testing.TestHttpServer;
import dev.jetpack.engine.testing.TestImages;
import dev.jetpack.engine.testing.TestKeys;
import dev.jetpack.engine.fetch.http.HttpSettings;
import dev.jetpack.engine.fetch.http.TlsPolicy;
import dev.jetpack.engine.fetch.trust.KeyAcceptance;
import dev.jetpack.engine.fetch.trust.TrustScope;
import dev.jetpack.engine.fetch.trust.TrustStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.jetpack.engine.ProgressListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFetcherTest {
    @TempDir
    Path temp;

    RecordingLog log;
    ImageStore store;
    ImageFetcher fetcher;
    TestImages images;
    TestHttpServer server;

    @BeforeEach
    void setUp() throws IOException {
        log = new RecordingLog();
        store = ImageStore.open(temp.resolve("store"), log);
        fetcher = new ImageFetcher(store, log);
        images = new TestImages(Files.createDirectories(temp.resolve("acis")));
        server = TestHttpServer.https();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    FetchOptions.Builder options() {
        return FetchOptions.builder()
                .http(HttpSettings.builder()
                        .tls(TlsPolicy.trusting(server.clientSslContext(), "the test certificate")).build())
                .discovery(DiscoveryOptions.builder()
                        .discoveryUri(prefix -> server.uri("/discovery/" + prefix + "?ac-discovery=1")).build());
    }

    ImageManifest hostManifest(String name, String version) {
        return manifest(name, "version", version, "os", HostPlatform.os(), "arch", HostPlatform.arch());
    }

    void publish(String name, String template) {
        server.serveText("/discovery/" + name, "<html><head><meta name=\"ac-discovery\" content=\"" + name + " "
                + server.uri("/images/") + template + "\"></head></html>");
    }

    @Test
    void fetchesAPathAFileUrlAndThenFindsItById() throws Exception {
        TestImages.Aci aci = images.simple(manifest("example.com/app"), "local");

        StoredImage byPath = fetcher.fetch(aci.file().toString(), options().build());
        StoredImage byFileUrl = fetcher.fetch(aci.file().toUri().toString(), options().build());
        StoredImage byId = fetcher.fetch(aci.id().value().substring(0, 24), options().offline(true).build());

        assertThat(List.of(byPath.id(), byFileUrl.id(), byId.id())).containsOnly(aci.id());
        assertThat(byPath.rootfs().resolve("file.txt")).hasContent("local");
        assertThatThrownBy(() -> fetcher.fetch("sha512-abcdef", options().build()))
                .isInstanceOf(ImageNotFoundException.class);
        assertThatThrownBy(() -> fetcher.fetch(temp.resolve("missing.aci").toString(), options().build()))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void anUnchangedFileIsAnsweredFromTheRecordOfItsImportWithoutReadingTheManifest() throws Exception {
        TestImages.Aci aci = images.simple(manifest("example.com/app", "version", "2.1"), "local");
        StoredImage imported = fetcher.fetch(aci.file().toString(), options().build());
        // A damaged manifest shows what reads it: the answer to an unchanged file does not.
        Files.writeString(imported.directory().resolve("manifest"), "{ not json");

        StoredImage again = new ImageFetcher(store, log).fetch(aci.file().toString(), options().offline(true).build());

        assertThat(again.id()).isEqualTo(aci.id());
        assertThat(log.messages()).anyMatch(m -> m.contains("Image file " + aci.file() + " is unchanged since it was"
                + " imported as example.com/app:2.1 (" + aci.id().shortForm() + "); not reading it again"));
        assertThatThrownBy(again::manifest).isInstanceOf(StoreException.class)
                .hasMessageContaining("Cannot read image " + aci.id());
    }

    @Test
    void aSecondFetchOfAUrlDownloadsNoBody() throws Exception {
        TestImages.Aci aci = images.simple(manifest("example.com/app", "version", "1.0"), "over https");
        server.serveWithEtag("/app.aci", aci.bytes(), "\"v1\"");

        StoredImage first = fetcher.fetch(server.uri("/app.aci").toString(), options().build());
        StoredImage second = fetcher.fetch(server.uri("/app.aci").toString(), options().build());

        assertThat(first.id()).isEqualTo(aci.id());
        assertThat(second.id()).isEqualTo(aci.id());
        assertThat(server.requests("/app.aci")).isEqualTo(2);
        assertThat(server.bodiesSent("/app.aci")).isEqualTo(1);
        assertThat(log.messages()).anyMatch(m -> m.contains("not modified") && m.contains("no download"));
        assertThat(log.warnings()).anyMatch(m -> m.contains("has no signature"));
        // The stored ACI is the download itself, complete.
        assertThat(first.aciFile()).hasSameBinaryContentAs(aci.file());
        // Offline, the URL is answered from what was fetched before.
        assertThat(fetcher.fetch(server.uri("/app.aci").toString(), options().offline(true).build()).id())
                .isEqualTo(aci.id());
        assertThat(server.requests("/app.aci")).isEqualTo(2);
    }

    @Test
    void aUrlThatRequiresASignatureFailsWithoutOne() throws Exception {
        TestImages.Aci aci = images.simple(manifest("example.com/app"), "x");
        server.serve("/app.aci", aci.bytes());

        assertThatThrownBy(() -> fetcher.fetch(server.uri("/app.aci").toString(),
                options().requireSignature(true).build()))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("signature is required");
        assertThat(store.list()).isEmpty();
    }

    @Test
    void plainHttpNeedsTheOption() throws Exception {
        try (TestHttpServer http = TestHttpServer.http()) {
            TestImages.Aci aci = images.simple(manifest("example.com/app"), "x");
            http.serve("/app.aci", aci.bytes());
            assertThatThrownBy(() -> fetcher.fetch(http.uri("/app.aci").toString(), options().build()))
                    .isInstanceOf(FetchException.class)
                    .hasMessageContaining("plain HTTP");
            assertThat(fetcher.fetch(http.uri("/app.aci").toString(), options().http(HttpSettings.builder()
                    .allowPlainHttp(true).build()).build()).id())
                    .isEqualTo(aci.id());
        }
    }

    @Test
    void discoveryRequiresASignatureByDefault() throws Exception {
        TestImages.Aci aci = images.simple(hostManifest("example.com/app", "1.0"), "discovered");
        publish("example.com/app", "{name}-{version}-{os}-{arch}.{ext}");
        String file = "/images/example.com/app-1.0-" + HostPlatform.os() + "-" + HostPlatform.arch();
        server.serve(file + ".aci", aci.bytes());

        assertThatThrownBy(() -> fetcher.fetch("example.com/app:1.0", options().build()))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining(".aci.asc");
        assertThat(store.list()).isEmpty();

        StoredImage insecure = fetcher.fetch("example.com/app:1.0", options().insecureSkipSignature(true).build());
        assertThat(insecure.id()).isEqualTo(aci.id());
        assertThat(log.warnings()).anyMatch(m -> m.contains("Signature checks are OFF"));
    }

    @Test
    void discoveryWithAValidSignatureFromATrustedKeySucceeds() throws Exception {
        TestKeys.TestKey publisher = TestKeys.ed25519("Publisher <images@example.com>");
        TestKeys.TestKey stranger = TestKeys.ed25519("Stranger <evil@example.net>");
        TrustStore trust = new TrustStore(temp.resolve("trust"), log);
        trust.add(TrustScope.prefix("example.com/app"), publisher.armoredPublicKey(),
                KeyAcceptance.fingerprint(publisher.fingerprint()), "test");
        TestImages.Aci aci = images.simple(hostManifest("example.com/app", "1.0"), "signed");
        TestImages.Aci other = images.simple(hostManifest("example.com/app", "2.0"), "signed by a stranger");
        publish("example.com/app", "{name}-{version}.{ext}");
        server.serve("/images/example.com/app-1.0.aci", aci.bytes());
        server.serve("/images/example.com/app-1.0.aci.asc", publisher.sign(aci.bytes()));
        server.serve("/images/example.com/app-2.0.aci", other.bytes());
        server.serve("/images/example.com/app-2.0.aci.asc", stranger.sign(other.bytes()));
        FetchOptions trusted = options().trustStore(trust).build();

        StoredImage stored = fetcher.fetch("example.com/app:1.0", trusted);

        assertThat(stored.id()).isEqualTo(aci.id());
        assertThat(log.messages()).anyMatch(m -> m.contains("Signature of example.com/app:1.0") && m.contains("verified"));
        assertThatThrownBy(() -> fetcher.fetch("example.com/app:2.0", trusted))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining(stranger.fingerprint().substring(0, 16));
        assertThat(store.list()).extracting(StoredImage::id).containsExactly(aci.id());
    }

    @Test
    void aDiscoveredImageWithAnotherNameOrLabelIsRejected() throws Exception {
        TestImages.Aci impostor = images.simple(hostManifest("example.com/other", "1.0"), "impostor");
        TestImages.Aci wrongVersion = images.simple(hostManifest("example.com/app", "2.0"), "wrong version");
        publish("example.com/app", "{name}-{version}.{ext}");
        server.serve("/images/example.com/app-1.0.aci", impostor.bytes());
        server.serve("/images/example.com/app-3.0.aci", wrongVersion.bytes());
        FetchOptions insecure = options().insecureSkipSignature(true).build();

        assertThatThrownBy(() -> fetcher.fetch("example.com/app:1.0", insecure))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("example.com/other");
        assertThatThrownBy(() -> fetcher.fetch("example.com/app:3.0", insecure))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("version=2.0");
        assertThat(store.list()).isEmpty();
    }

    @Test
    void aSecondFetchByNameIsAnsweredFromTheStoreAndRefreshUsesAConditionalRequest() throws Exception {
        TestImages.Aci aci = images.simple(hostManifest("example.com/app", "1.0"), "v1");
        publish("example.com/app", "{name}.{ext}");
        server.serveWithEtag("/images/example.com/app.aci", aci.bytes(), "\"e1\"");
        FetchOptions insecure = options().insecureSkipSignature(true).build();

        fetcher.fetch("example.com/app", insecure);
        StoredImage fromStore = fetcher.fetch("example.com/app", insecure);
        assertThat(fromStore.id()).isEqualTo(aci.id());
        assertThat(server.requests("/images/example.com/app.aci")).isEqualTo(1);
        assertThat(log.messages()).anyMatch(m -> m.contains("found in the store") && m.contains("no download"));

        StoredImage refreshed = fetcher.fetch("example.com/app",
                insecure.toBuilder().policy(FetchPolicy.REFRESH).build());
        assertThat(refreshed.id()).isEqualTo(aci.id());
        assertThat(server.requests("/images/example.com/app.aci")).isEqualTo(2);
        assertThat(server.bodiesSent("/images/example.com/app.aci")).isEqualTo(1);
    }

    @Test
    void offlineWithoutTheImageIsAClearError() {
        assertThatThrownBy(() -> fetcher.fetch("example.com/app:1.0", options().offline(true).build()))
                .isInstanceOf(ImageNotFoundException.class)
                .hasMessageContaining("example.com/app:1.0")
                .hasMessageContaining("offline");
        assertThat(server.requests("/discovery/example.com/app")).isZero();
    }

    @Test
    void missingDependenciesAreFetchedByDiscoveryAndTheirIdIsChecked() throws Exception {
        TestImages.Aci base = images.simple(hostManifest("example.com/base", "1"), "base");
        TestImages.Aci otherBase = images.simple(hostManifest("example.com/base", "1"), "other base");
        publish("example.com/base", "{name}-{version}.{ext}");
        server.serve("/images/example.com/base-1.aci", base.bytes());
        TestImages.Aci app = images.simple(hostManifest("example.com/app", "1")
                .withDependencies(List.of(dependency("example.com/base", base.id(), "version", "1"))), "app");
        TestImages.Aci pinnedToOther = images.simple(hostManifest("example.com/app2", "1")
                .withDependencies(List.of(dependency("example.com/base", otherBase.id(), "version", "1"))), "app2");
        FetchOptions insecure = options().insecureSkipSignature(true).build();

        assertThatThrownBy(() -> fetcher.fetch(pinnedToOther.file().toString(), insecure))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining(otherBase.id().value())
                .hasMessageContaining(base.id().value());
        assertThat(store.list()).isEmpty();

        StoredImage stored = fetcher.fetch(app.file().toString(), insecure);
        assertThat(stored.dependencyIds()).containsExactly(base.id());
        assertThat(stored.rootfs().resolve("file.txt")).hasContent("app");
    }

    @Test
    void aTruncatedDownloadStoresNothing() throws Exception {
        TestImages.Aci aci = images.simple(manifest("example.com/app"), "x");
        byte[] bytes = aci.bytes();
        server.truncated("/app.aci", Arrays.copyOf(bytes, bytes.length / 2), bytes.length);

        assertThatThrownBy(() -> fetcher.fetch(server.uri("/app.aci").toString(), options().build()))
                .isInstanceOf(FetchException.class);
        assertThat(store.list()).isEmpty();
        assertThat(store.root().resolve("images")).isEmptyDirectory();
        // Downloads stream into the store's staging area: no partial download is kept there or anywhere else.
        assertThat(store.root().resolve("tmp")).as("no partial download kept").isEmptyDirectory();
        assertThat(store.root().resolve("cache/downloads")).doesNotExist();
    }

    @Test
    void aUrlFetchReadsTheBodyOnceAndKeepsNoCopyOutsideTheStoredImage() throws Exception {
        TestImages.Aci aci = images.simple(manifest("example.com/app", "version", "1.0"), "streamed once");
        byte[] bytes = aci.bytes();
        server.serveWithEtag("/app.aci", bytes, "\"v1\"");
        List<Long> received = new ArrayList<>();
        List<String> finished = new ArrayList<>();
        ProgressListener progress = new ProgressListener() {
            @Override
            public void progress(String task, long done, long total) {
                if (task.contains("/app.aci")) {
                    received.add(done);
                }
            }

            @Override
            public void finished(String task) {
                finished.add(task);
            }
        };

        StoredImage image = fetcher.fetch(server.uri("/app.aci").toString(), options().progress(progress).build());

        assertThat(image.id()).isEqualTo(aci.id());
        assertThat(server.requests("/app.aci")).isEqualTo(1);
        assertThat(server.bodiesSent("/app.aci")).isEqualTo(1);
        assertThat(received).as("the body is read once, from first to last byte").isSorted()
                .last().isEqualTo((long) bytes.length);
        assertThat(finished).filteredOn(task -> task.contains("/app.aci")).hasSize(1);
        // The stored image.aci is the only copy of the bytes: not linked to a download, and outside images/ the
        // store holds only small records and lock files.
        assertThat(image.aciFile()).hasBinaryContent(bytes);
        assertThat(Files.getAttribute(image.aciFile(), "unix:nlink")).isEqualTo(1);
        assertThat(store.root().resolve("cache/downloads")).doesNotExist();
        try (var files = Files.walk(store.root())) {
            assertThat(files.filter(Files::isRegularFile).filter(f -> !f.startsWith(store.root().resolve("images"))))
                    .isNotEmpty()
                    .allSatisfy(f -> assertThat(Files.size(f)).as(f.toString()).isLessThan(1024));
        }
        assertThat(store.root().resolve("tmp")).isEmptyDirectory();
    }

    @Test
    void aBadSignatureOrATruncatedBodyLeavesNothingVisible() throws Exception {
        TestKeys.TestKey publisher = TestKeys.ed25519("Publisher <images@example.com>");
        TrustStore trust = new TrustStore(temp.resolve("trust"), log);
        trust.add(TrustScope.prefix("example.com/app"), publisher.armoredPublicKey(),
                KeyAcceptance.fingerprint(publisher.fingerprint()), "test");
        TestImages.Aci aci = images.simple(hostManifest("example.com/app", "1.0"), "signed");
        TestImages.Aci other = images.simple(hostManifest("example.com/app", "1.0"), "other bytes");
        byte[] bytes = aci.bytes();
        server.serve("/signed.aci", bytes);
        server.serve("/signed.aci.asc", publisher.sign(other.bytes()));
        publish("example.com/app", "{name}-{version}.{ext}");
        server.truncated("/images/example.com/app-1.0.aci", Arrays.copyOf(bytes, bytes.length - 100), bytes.length);
        server.serve("/images/example.com/app-1.0.aci.asc", publisher.sign(bytes));
        FetchOptions trusted = options().trustStore(trust).build();

        assertThatThrownBy(() -> fetcher.fetch(server.uri("/signed.aci").toString(), trusted))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("BAD signature");
        assertThatThrownBy(() -> fetcher.fetch("example.com/app:1.0", trusted))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining((bytes.length - 100) + " of " + bytes.length + " bytes");

        assertThat(server.bodiesSent("/signed.aci")).isEqualTo(1);
        assertThat(store.list()).isEmpty();
        assertThat(store.root().resolve("images")).isEmptyDirectory();
        assertThat(store.root().resolve("tmp")).isEmptyDirectory();
        assertThatThrownBy(() -> fetcher.fetch(server.uri("/signed.aci").toString(), options().offline(true).build()))
                .as("no record of a refused image").isInstanceOf(ImageNotFoundException.class);
    }

    @Test
    void validatorsAreSentOnlyWhileTheImageTheyDescribeIsStored() throws Exception {
        TestImages.Aci aci = images.simple(manifest("example.com/app", "version", "1.0"), "revalidated");
        server.serveWithEtag("/app.aci", aci.bytes(), "\"v1\"");
        String url = server.uri("/app.aci").toString();

        StoredImage first = fetcher.fetch(url, options().build());
        store.remove(first.id());
        StoredImage again = fetcher.fetch(url, options().build());

        assertThat(again.id()).isEqualTo(aci.id());
        assertThat(server.lastRequestHeaders("/app.aci").getFirst("If-None-Match")).isNull();
        assertThat(server.bodiesSent("/app.aci")).isEqualTo(2);

        StoredImage third = fetcher.fetch(url, options().build());
        assertThat(third.id()).isEqualTo(aci.id());
        assertThat(server.lastRequestHeaders("/app.aci").getFirst("If-None-Match")).isEqualTo("\"v1\"");
        assertThat(server.bodiesSent("/app.aci")).isEqualTo(2);
        // A 304 does not bypass the signature rules: the unsigned image is refused when signatures are required.
        assertThatThrownBy(() -> fetcher.fetch(url, options().requireSignature(true).build()))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("signature is required");
    }

    @Test
    void mavenCoordinatesAreFetchedFromALocalRepositoryIntoTheStore() throws Exception {
        Path repository = temp.resolve("m2");
        TestImages.Aci plain = images.simple(manifest("example.com/base", "version", "1.0"), "from maven");
        TestImages.Aci classified = images.simple(manifest("example.com/base", "version", "1.0", "os", "linux"),
                "classified");
        Path version = Files.createDirectories(repository.resolve("com/example/base-image/1.0"));
        Files.copy(plain.file(), version.resolve("base-image-1.0.aci"));
        Files.copy(classified.file(), version.resolve("base-image-1.0-linux.aci"));
        FetchOptions maven = options().mavenResolver(new LocalRepositoryMavenResolver(repository)).build();

        StoredImage stored = fetcher.fetch("mvn:com.example:base-image:1.0", maven);
        StoredImage withClassifier = fetcher.fetch("mvn:com.example:base-image:1.0:linux",
                maven.toBuilder().offline(true).build());

        assertThat(stored.id()).isEqualTo(plain.id());
        assertThat(stored.rootfs().resolve("file.txt")).hasContent("from maven");
        assertThat(withClassifier.id()).isEqualTo(classified.id());
        assertThat(store.list()).extracting(StoredImage::id).containsExactlyInAnyOrder(plain.id(), classified.id());
        assertThat(fetcher.fetch(plain.id().value(), options().offline(true).build()).id()).isEqualTo(plain.id());
        assertThatThrownBy(() -> fetcher.fetch("mvn:com.example:base-image:2.0", maven))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("com.example:base-image:2.0:aci")
                .hasMessageContaining(repository.toString());
        assertThat(server.requests("/discovery/com.example")).isZero();
    }

    @Test
    void aSignatureNextToAFileIsVerifiedAgainstTheManifestName() throws Exception {
        TestKeys.TestKey publisher = TestKeys.ed25519("Publisher <images@example.com>");
        TestKeys.TestKey stranger = TestKeys.ed25519("Stranger <evil@example.net>");
        TrustStore trust = new TrustStore(temp.resolve("trust"), log);
        trust.add(TrustScope.prefix("example.com/app"), publisher.armoredPublicKey(),
                KeyAcceptance.fingerprint(publisher.fingerprint()), "test");
        TestImages.Aci good = images.simple(manifest("example.com/app", "version", "1"), "good");
        TestImages.Aci forged = images.simple(manifest("example.com/app", "version", "2"), "forged");
        TestImages.Aci unsigned = images.simple(manifest("example.com/app", "version", "3"), "unsigned");
        Files.write(Path.of(good.file() + ".asc"), publisher.sign(good.bytes()));
        Files.write(Path.of(forged.file() + ".asc"), stranger.sign(forged.bytes()));
        FetchOptions trusted = options().trustStore(trust).build();

        assertThat(fetcher.fetch(good.file().toString(), trusted).id()).isEqualTo(good.id());
        assertThat(log.messages()).anyMatch(m -> m.contains("verified for example.com/app")
                && m.contains(publisher.fingerprint()));
        assertThatThrownBy(() -> fetcher.fetch(forged.file().toString(), trusted))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining(stranger.fingerprint().substring(0, 16));
        assertThatThrownBy(() -> fetcher.fetch(unsigned.file().toString(),
                trusted.toBuilder().requireSignature(true).build()))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("signature is required");
        assertThat(store.list()).extracting(StoredImage::id).containsExactly(good.id());
    }
}
