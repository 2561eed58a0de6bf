package dev.jetpack.engine.security;

import static dev.jetpack.engine.testing.TestImages.manifest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.DevicePolicy;
import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.aci.ReaderOptions;
import dev.jetpack.engine.fetch.FetchException;
import dev.jetpack.engine.fetch.FetchOptions;
import dev.jetpack.engine.fetch.ImageFetcher;
import dev.jetpack.engine.fetch.discovery.DiscoveryOptions;
import dev.jetpack.engine.fetch.discovery.HostPlatform;
import dev.jetpack.engine.fetch.http.HttpSettings;
import dev.jetpack.engine.fetch.http.TlsPolicy;
import dev.jetpack.engine.fetch.trust.KeyAcceptance;
import dev.jetpack.engine.fetch.trust.TrustScope;
import dev.jetpack.engine.fetch.trust.TrustStore;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.ManifestCodec;
import dev.jetpack.engine.store.ImageStore;
import dev.jetpack.engine.store.StoredImage;
import dev.jetpack.engine.testing.RecordingLog;
import dev.jetpack.engine.testing.TestHttpServer;
import dev.jetpack.engine.testing.TestImages;
import dev.jetpack.engine.testing.TestKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input corpus of issue 7: every crafted input goes through the public fetch path with its DEFAULT
 * options (what a user gets) into a real store, and must be refused with a message naming the entry or the
 * rule; afterwards the store holds no image and no work file, and nothing appeared in the sentinel directory
 * that the archives aim at. Each case prints one line saying what it tried and what the engine answered.
 *
 * <p>The archive-format rules are unit-tested in depth in {@code aci.HostileArchiveTest}; this corpus checks
 * that they hold end to end, and covers what lies above the archive: manifests, dependencies, discovery,
 * signatures, redirects and devices.
 */
class HostileInputCorpusTest {
    @TempDir
    Path temp;
    Path sentinel;
    Path inputs;
    RecordingLog log;
    ImageStore store;
    ImageFetcher fetcher;
    TestImages images;
    TestHttpServer https;

    @BeforeEach
    void setUp() throws IOException {
        sentinel = Files.createDirectories(temp.resolve("sentinel"));
        inputs = Files.createDirectories(temp.resolve("inputs"));
        log = new RecordingLog();
        store = ImageStore.open(temp.resolve("store"), log);
        fetcher = new ImageFetcher(store, log);
        images = new TestImages(Files.createDirectories(temp.resolve("acis")));
        https = TestHttpServer.https();
    }

    @AfterEach
    void tearDown() {
        https.close();
    }

    static String validManifest() {
        return new String(ManifestCodec.write(manifest("example.com/hostile"), false), StandardCharsets.UTF_8);
    }

    /** Fetches {@code archive} from a file with the default options, as `jetpack fetch FILE` does. */
    private StoredImage fetchFile(String name, byte[] archive) throws IOException {
        return fetchFile(name, archive, FetchOptions.defaults());
    }

    private StoredImage fetchFile(String name, byte[] archive, FetchOptions options) throws IOException {
        Path file = inputs.resolve(name + ".aci");
        Files.write(file, archive);
        return fetcher.fetch(file.toString(), options);
    }

    /** Runs {@code attempt}, which must fail with a message holding every part; then checks nothing leaked. */
    private void refused(String what, ThrowingCallable attempt, String... messageParts) throws IOException {
        Throwable[] caught = new Throwable[1];
        assertThatThrownBy(() -> {
            try {
                attempt.call();
            } catch (Throwable t) {
                caught[0] = t;
                throw t;
            }
        }).as(what).isInstanceOf(JetpackException.class).hasMessageContainingAll(messageParts);
        String message = caught[0].getMessage().replace('\n', ' ');
        System.out.println("[hostile input] " + what + " -> refused: "
                + (message.length() > 160 ? message.substring(0, 160) + "..." : message));
        assertNothingLeaked(what);
    }

    private void assertNothingLeaked(String what) throws IOException {
        assertThat(sentinel).as(what + ": nothing written outside the store").isEmptyDirectory();
        assertThat(store.list()).as(what + ": no image stored").isEmpty();
        Path work = store.root().resolve("tmp");
        if (Files.isDirectory(work)) {
            try (Stream<Path> left = Files.list(work)) {
                assertThat(left).as(what + ": no work files left in the store").isEmpty();
            }
        }
    }

    // ---- the archive ----

    @Test
    @DisplayName("path traversal: '..', absolute names (header and pax), symlink then a file below it, hard link")
    void pathTraversal() throws IOException {
        refused("'..' in a name", () -> fetchFile("dotdot", new CraftedTar().start(validManifest())
                .file("rootfs/../../sentinel/pwned", "x").end()), "rootfs/../../sentinel/pwned", "..");
        String absolute = sentinel.resolve("pwned").toString();
        refused("absolute name", () -> fetchFile("absolute", new CraftedTar().start(validManifest())
                .file(absolute, "x").end()), absolute, "absolute");
        refused("absolute name in a pax path record", () -> fetchFile("pax-absolute", new CraftedTar()
                .start(validManifest()).pax("path", absolute).file("rootfs/harmless", "x").end()), absolute);
        refused("symlink to the sentinel, then a file through it", () -> fetchFile("symlink", new CraftedTar()
                .start(validManifest()).symlink("rootfs/escape", sentinel.toString())
                .file("rootfs/escape/pwned", "x").end()), "rootfs/escape/pwned", "SYMLINK");
        refused("relative symlink upwards, then a directory through it", () -> fetchFile("symlink-up",
                new CraftedTar().start(validManifest()).symlink("rootfs/up", "../../../../sentinel")
                        .directory("rootfs/up/sub/").end()), "rootfs/up/sub");
        refused("hard link to a host file", () -> fetchFile("hardlink", new CraftedTar().start(validManifest())
                .hardLink("rootfs/passwd", "/etc/passwd").end()), "rootfs/passwd");
        refused("hard link to the manifest (outside rootfs/)", () -> fetchFile("hardlink-manifest",
                new CraftedTar().start(validManifest()).hardLink("rootfs/m", "manifest").end()), "outside rootfs/");
    }

    @Test
    @DisplayName("layout: 'rootfsX/' is not 'rootfs/', duplicate entries, missing manifest")
    void layout() throws IOException {
        refused("rootfsX/ lookalike", () -> fetchFile("rootfsx", new CraftedTar().start(validManifest())
                .file("rootfsX/file", "x").end()), "rootfsX/file", "not part of the ACI layout");
        refused("duplicate file", () -> fetchFile("duplicate", new CraftedTar().start(validManifest())
                .file("rootfs/a", "1").file("rootfs/a", "2").end()), "rootfs/a", "duplicate");
        refused("second manifest", () -> fetchFile("duplicate-manifest", new CraftedTar().start(validManifest())
                .file("./manifest", "{}").end()), "duplicate");
        refused("no manifest", () -> fetchFile("no-manifest", new CraftedTar().directory("rootfs/")
                .file("rootfs/a", "1").end()), "manifest", "missing");
    }

    @Test
    @DisplayName("devices: fetched images may hold only the standard harmless character devices")
    void devices() throws IOException {
        refused("block device 8:0 (a host disk)", () -> fetchFile("block", new CraftedTar().start(validManifest())
                .device("rootfs/dev/sda", '4', 8, 0).end()), "rootfs/dev/sda", "device nodes are not allowed");
        refused("char device 1:1 (/dev/mem)", () -> fetchFile("mem", new CraftedTar().start(validManifest())
                .device("rootfs/dev/mem", '3', 1, 1).end()), "rootfs/dev/mem", "1:1");

        // What base images legitimately ship passes by default...
        StoredImage standard = fetchFile("standard", new CraftedTar().start(validManifest())
                .directory("rootfs/dev/").device("rootfs/dev/null", '3', 1, 3).device("rootfs/dev/ptmx", '3', 5, 2)
                .end());
        assertThat(Files.exists(standard.rootfs().resolve("dev/null"), LinkOption.NOFOLLOW_LINKS)).isTrue();
        // ...and anything else only when the user allows it.
        StoredImage allowed = fetchFile("block-allowed", new CraftedTar().start(manifestJson("example.com/disk"))
                .device("rootfs/sda", '4', 8, 0).end(), FetchOptions.builder()
                .readerOptions(ReaderOptions.untrusted().toBuilder().devices(DevicePolicy.ALL).build()).build());
        assertThat(Files.exists(allowed.rootfs().resolve("sda"), LinkOption.NOFOLLOW_LINKS)).isTrue();
        System.out.println("[hostile input] standard devices (null 1:3, ptmx 5:2) accepted by default; block 8:0"
                + " accepted only with DevicePolicy.ALL");
    }

    static String manifestJson(String name) {
        return new String(ManifestCodec.write(manifest(name), false), StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("sizes: an entry declaring 1 TiB is refused before its data is read; negative sizes are refused")
    void hugeAndNegativeSizes() throws IOException {
        byte[] someData = new byte[64 * 1024];
        byte[] huge = new CraftedTar().start(validManifest())
                .fileWithSizeField("rootfs/huge", CraftedTar.base256(1L << 40), someData).cut();
        FetchOptions limited = FetchOptions.builder().readerOptions(ReaderOptions.untrusted()
                .toBuilder().maxUncompressedBytes(1L << 39).build()).build();
        refused("entry declaring 1 TiB (limit 512 GiB)", () -> fetchFile("huge", huge, limited), "rootfs/huge",
                "declares 1099511627776 bytes", "refused before reading it");
        byte[] hugeDefault = new CraftedTar().start(validManifest())
                .fileWithSizeField("rootfs/huge", CraftedTar.base256(1L << 50), someData).cut();
        refused("entry declaring 1 PiB (default limit)", () -> fetchFile("huge-default", hugeDefault),
                "rootfs/huge", "declares");

        refused("negative size in base-256", () -> fetchFile("negative", new CraftedTar().start(validManifest())
                .fileWithSizeField("rootfs/neg", CraftedTar.base256(-512), new byte[512]).end()), "negative");
        refused("negative size in a pax record", () -> fetchFile("negative-pax", new CraftedTar()
                .start(validManifest()).pax("size", "-1").file("rootfs/neg", "").end()), "negative size -1");
        refused("pax size that is no number", () -> fetchFile("nan-pax", new CraftedTar()
                .start(validManifest()).pax("size", "99999999999999999999999").file("rootfs/nan", "").end()),
                "not a number");
    }

    @Test
    @DisplayName("decompression bombs: total size and expansion ratio limits, both configurable")
    void decompressionBombs() throws IOException {
        // 16 entries of 512 KiB zeros: each below every limit, together 8 MiB from about 8 KiB of gzip
        CraftedTar tar = new CraftedTar().start(validManifest());
        byte[] zeros = new byte[512 * 1024];
        for (int i = 0; i < 16; i++) {
            tar.fileWithSizeField("rootfs/zeros" + i, CraftedTar.octal(zeros.length, 12), zeros);
        }
        byte[] bomb = compress(tar.end(), Compression.GZIP);
        FetchOptions smallTotal = FetchOptions.builder().readerOptions(ReaderOptions.untrusted()
                .toBuilder().maxUncompressedBytes(4 * 1024 * 1024).maxExpansionRatio(1_000_000).build()).build();
        refused("8 MiB of zeros, total limit 4 MiB", () -> fetchFile("bomb-total", bomb, smallTotal),
                "expands to more than 4194304 bytes");
        FetchOptions lowRatio = FetchOptions.builder().readerOptions(ReaderOptions.untrusted()
                .toBuilder().maxUncompressedBytes(Long.MAX_VALUE).maxExpansionRatio(100)
                        .ratioGraceBytes(1024 * 1024).build()).build();
        refused("8 MiB of zeros gzipped (~1:1000), ratio limit 100 after 1 MiB", () -> fetchFile("bomb-ratio", bomb,
                lowRatio), "beyond the limit of 100");
        // The same bytes pass with the default limits: the grace keeps small, very compressible images working.
        assertThat(fetchFile("not-a-bomb", bomb).id()).isNotNull();
    }

    @Test
    @DisplayName("streams: wrong magic, truncated and corrupted data")
    void brokenStreams() throws IOException {
        refused("zip instead of an ACI", () -> fetchFile("zip", new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0}),
                "50 4b 03 04");
        refused("empty file", () -> fetchFile("empty", new byte[0]), "empty");
        byte[] good = new CraftedTar().start(validManifest()).file("rootfs/a", "x".repeat(5000)).end();
        refused("tar cut inside an entry", () -> fetchFile("cut", Arrays.copyOf(good, 2500)), "truncated");
        byte[] gz = compress(good, Compression.GZIP);
        refused("gzip cut in the middle", () -> fetchFile("cut-gz", Arrays.copyOf(gz, gz.length / 2)), "truncated");
        byte[] corrupt = good.clone();
        corrupt[512 * 2 + 10] ^= 0x55; // inside the rootfs/ header: its checksum no longer matches
        refused("header with a bad checksum", () -> fetchFile("corrupt", corrupt), "checksum");
    }

    static byte[] compress(byte[] data, Compression compression) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream c = compression.compress(out, 1)) {
            c.write(data);
        }
        return out.toByteArray();
    }

    // ---- the manifest inside ----

    @Test
    @DisplayName("invalid manifests inside an ACI: not JSON, bad name, wrong acKind, name label")
    void invalidManifests() throws IOException {
        refused("manifest that is not JSON", () -> fetchFile("not-json", new CraftedTar().start("{not json")
                .end()), "manifest");
        refused("manifest with an invalid name", () -> fetchFile("bad-name", new CraftedTar()
                .start("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"Example.com/../App!\"}")
                .end()), "name", "Example.com/../App!");
        refused("manifest of the wrong kind", () -> fetchFile("bad-kind", new CraftedTar()
                .start("{\"acKind\":\"PodManifest\",\"acVersion\":\"0.8.11\",\"name\":\"example.com/a\"}")
                .end()), "acKind");
        refused("manifest with a 'name' label", () -> fetchFile("name-label", new CraftedTar()
                .start("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"example.com/a\","
                        + "\"labels\":[{\"name\":\"name\",\"value\":\"x\"}]}").end()), "name");
    }

    // ---- over the network ----

    FetchOptions.Builder network() {
        return FetchOptions.builder()
                .http(HttpSettings.builder()
                        .tls(TlsPolicy.trusting(https.clientSslContext(), "the test certificate")).build())
                .discovery(DiscoveryOptions.builder()
                        .discoveryUri(prefix -> https.uri("/discovery/" + prefix + "?ac-discovery=1")).build());
    }

    ImageManifest hostManifest(String name, String version) {
        return manifest(name, "version", version, "os", HostPlatform.os(), "arch", HostPlatform.arch());
    }

    void publish(TestHttpServer server, String name, String template) {
        server.serveText("/discovery/" + name, "<html><head><meta name=\"ac-discovery\" content=\"" + name + " "
                + server.uri("/images/") + template + "\"></head></html>");
    }

    @Test
    @DisplayName("dependencies: a dependency whose image ID differs from the manifest's is refused")
    void dependencyIdMismatch() throws IOException {
        TestImages.Aci base = images.simple(hostManifest("example.com/base", "1.0"), "the real base");
        publish(https, "example.com/base", "{name}-{version}.{ext}");
        https.serve("/images/example.com/base-1.0.aci", base.bytes());
        ImageId claimed = ImageId.parse("sha512-" + "ab".repeat(64));
        ImageManifest child = manifest("example.com/child").withDependencies(java.util.List.of(
                TestImages.dependency("example.com/base", claimed, "version", "1.0", "os", HostPlatform.os(),
                        "arch", HostPlatform.arch())));
        TestImages.Aci childAci = images.simple(child, "child");
        refused("dependency served with another ID", () -> fetcher.fetch(childAci.file().toString(),
                network().insecureSkipSignature(true).build()), claimed.value(), base.id().value());
    }

    @Test
    @DisplayName("discovery: the image's name or labels differ from the request")
    void discoveredNameOrLabelsDiffer() throws IOException {
        publish(https, "example.com/app", "{name}-{version}.{ext}");
        https.serve("/images/example.com/app-1.0.aci", images.simple(hostManifest("example.com/evil", "1.0"),
                "impostor").bytes());
        https.serve("/images/example.com/app-2.0.aci", images.simple(hostManifest("example.com/app", "6.6.6"),
                "other version").bytes());
        FetchOptions unsigned = network().insecureSkipSignature(true).build();
        refused("other name", () -> fetcher.fetch("example.com/app:1.0", unsigned), "example.com/evil");
        refused("other version label", () -> fetcher.fetch("example.com/app:2.0", unsigned), "version=6.6.6");
    }

    @Test
    @DisplayName("signatures: missing, over other bytes, by an untrusted key — each refused by default")
    void badOrMissingSignatures() throws IOException {
        TestKeys.TestKey publisher = TestKeys.ed25519("Publisher <images@example.com>");
        TestKeys.TestKey stranger = TestKeys.ed25519("Stranger <evil@example.net>");
        TrustStore trust = new TrustStore(temp.resolve("trust"), log);
        trust.add(TrustScope.prefix("example.com/app"), publisher.armoredPublicKey(),
                KeyAcceptance.fingerprint(publisher.fingerprint()), "test");
        publish(https, "example.com/app", "{name}-{version}.{ext}");
        byte[] v1 = images.simple(hostManifest("example.com/app", "1.0"), "unsigned").bytes();
        byte[] v2 = images.simple(hostManifest("example.com/app", "2.0"), "tampered").bytes();
        byte[] v3 = images.simple(hostManifest("example.com/app", "3.0"), "stranger").bytes();
        https.serve("/images/example.com/app-1.0.aci", v1);
        https.serve("/images/example.com/app-2.0.aci", v2);
        https.serve("/images/example.com/app-2.0.aci.asc", publisher.sign(v1)); // a real signature, other bytes
        https.serve("/images/example.com/app-3.0.aci", v3);
        https.serve("/images/example.com/app-3.0.aci.asc", stranger.sign(v3));
        FetchOptions defaults = network().trustStore(trust).build();

        refused("no signature", () -> fetcher.fetch("example.com/app:1.0", defaults), ".aci.asc");
        refused("signature over other bytes", () -> fetcher.fetch("example.com/app:2.0", defaults),
                "example.com/app");
        refused("signature by an untrusted key", () -> fetcher.fetch("example.com/app:3.0", defaults),
                stranger.fingerprint().substring(0, 16));
        refused("garbage as signature", () -> {
            https.serve("/images/example.com/app-1.0.aci.asc", "-----BEGIN PGP SIGNATURE-----\nnope\n"
                    .getBytes(StandardCharsets.UTF_8));
            fetcher.fetch("example.com/app:1.0", defaults);
        }, "example.com/app");
    }

    @Test
    @DisplayName("discovery: a discovery page that redirects to plain HTTP is refused")
    void discoveryRedirectToPlainHttp() throws IOException {
        try (TestHttpServer plain = TestHttpServer.http()) {
            publish(plain, "example.com/app", "{name}-{version}.{ext}");
            plain.serve("/images/example.com/app-1.0.aci", images.simple(hostManifest("example.com/app", "1.0"),
                    "via http").bytes());
            https.redirect("/discovery/example.com/app", 302, plain.uri("/discovery/example.com/app").toString());
            refused("https discovery page redirecting to http", () -> fetcher.fetch("example.com/app:1.0",
                    network().insecureSkipSignature(true).build()), "http://");
            assertThat(plain.requests("/discovery/example.com/app")).as("the plain-HTTP page is never asked for")
                    .isZero();
        }
    }
}
