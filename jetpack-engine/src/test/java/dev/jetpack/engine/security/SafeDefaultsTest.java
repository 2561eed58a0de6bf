package dev.jetpack.engine.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.runtime.RuntimeChoice;
import dev.jetpack.engine.build.ImageBuildSpec;
import dev.jetpack.engine.build.ImageBuild;
import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.JetpackSettings;
import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.fetch.FetchOptions;
import dev.jetpack.engine.fetch.ImageFetcher;
import dev.jetpack.engine.fetch.discovery.DiscoveryOptions;
import dev.jetpack.engine.fetch.discovery.HostPlatform;
import dev.jetpack.engine.fetch.http.HttpSettings;
import dev.jetpack.engine.fetch.http.TlsPolicy;
import dev.jetpack.engine.store.ImageStore;
import dev.jetpack.engine.store.ImportOptions;
import dev.jetpack.engine.store.StoredImage;
import dev.jetpack.engine.testing.RecordingLog;
import dev.jetpack.engine.testing.TestHttpServer;
import dev.jetpack.engine.testing.TestImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user gets without asking: verified TLS, HTTPS only, signatures required, no credentials leaked. */
class SafeDefaultsTest {
    @TempDir
    Path temp;

    @Test
    @DisplayName("TLS is verified by default: a self-signed server fails without a trust setting")
    void tlsIsVerifiedByDefault() throws IOException {
        RecordingLog log = new RecordingLog();
        ImageStore store = ImageStore.open(temp.resolve("store"), log);
        TestImages.Aci aci = new TestImages(Files.createDirectories(temp.resolve("acis")))
                .simple(TestImages.manifest("example.com/app"), "x");
        try (TestHttpServer https = TestHttpServer.https()) {
            https.serve("/app.aci", aci.bytes());
            String url = https.uri("/app.aci").toString();
            assertThatThrownBy(() -> new ImageFetcher(store, log).fetch(url, FetchOptions.defaults()))
                    .isInstanceOf(JetpackException.class)
                    .hasMessageContaining("certificate");
            assertThat(store.list()).isEmpty();
            // The same server is fine once its certificate is trusted: the failure was the verification.
            assertThat(new ImageFetcher(store, log).fetch(url, FetchOptions.builder()
                    .http(HttpSettings.builder()
                            .tls(TlsPolicy.trusting(https.clientSslContext(), "the test certificate")).build())
                            .build()).id()).isEqualTo(aci.id());
        }
        System.out.println("[safe defaults] untrusted TLS certificate refused by default");
    }

    @Test
    @DisplayName("plain HTTP and unsigned discovered images need explicit options, and each use logs a warning")
    void plainHttpAndUnsignedImagesNeedOptionsAndWarn() throws IOException {
        RecordingLog log = new RecordingLog();
        ImageStore store = ImageStore.open(temp.resolve("store"), log);
        ImageFetcher fetcher = new ImageFetcher(store, log);
        TestImages images = new TestImages(Files.createDirectories(temp.resolve("acis")));
        TestImages.Aci aci = images.simple(TestImages.manifest("example.com/plain"), "x");
        try (TestHttpServer http = TestHttpServer.http()) {
            http.serve("/app.aci", aci.bytes());
            http.serveText("/discovery/example.com/app", "<meta name=\"ac-discovery\" content=\"example.com/app "
                    + http.uri("/") + "{name}-{version}.{ext}\">");
            http.serve("/example.com/app-1.0.aci", images.simple(TestImages.manifest("example.com/app", "version",
                    "1.0", "os", HostPlatform.os(), "arch", HostPlatform.arch()), "discovered").bytes());
            String url = http.uri("/app.aci").toString();
            FetchOptions.Builder discovery = FetchOptions.builder()
                    .discovery(DiscoveryOptions.builder()
                            .discoveryUri(prefix -> http.uri("/discovery/" + prefix + "?ac-discovery=1")).build());

            assertThatThrownBy(() -> fetcher.fetch(url, FetchOptions.defaults())).hasMessageContaining("http");
            assertThatThrownBy(() -> fetcher.fetch("example.com/app:1.0", discovery.http(HttpSettings.builder()
                    .allowPlainHttp(true).build()).build()))
                    .as("unsigned discovered image").hasMessageContaining(".asc");
            assertThat(store.list()).isEmpty();
            assertThat(log.warnings()).as("a refused fetch warns of nothing it did not do")
                    .noneMatch(m -> m.contains("Signature checks are OFF"));

            fetcher.fetch(url, FetchOptions.builder().http(HttpSettings.builder()
                    .allowPlainHttp(true).build()).build());
            assertThat(log.warnings()).anyMatch(m -> m.toLowerCase().contains("plain http"));
            fetcher.fetch("example.com/app:1.0", discovery.http(HttpSettings.builder().allowPlainHttp(true).build())
                    .insecureSkipSignature(true).build());
            assertThat(log.warnings()).anyMatch(m -> m.contains("Signature checks are OFF"));
        }
        System.out.println("[safe defaults] plain HTTP and unsigned images refused without options, warned with");
    }

    @Test
    @DisplayName("proxy credentials passed into a build reach the command but not the manifest, image or log")
    void proxyCredentialsStayOutOfTheImageAndTheLog() throws Exception {
        String secret = "s3cr3t-Pa55";
        String proxy = "http://builder:" + secret + "@127.0.0.1:3128";
        RecordingLog log = new RecordingLog();
        Jetpack jetpack = new Jetpack(JetpackSettings.builder().storeLocation(temp.resolve("store"))
                .runtime(RuntimeChoice.RUNC).compression(Compression.NONE).build(), log, ProgressListener.NONE);
        StoredImage parent = jetpack.store().importAci(ReliabilityParent.aci(temp), ImportOptions.defaults());
        Path output = temp.resolve("target/child.aci");
        StringBuilder commandSaw = new StringBuilder();

        ImageBuild built = jetpack.buildImage(ImageBuildSpec.derivative(parent).output(output)
                .environment(java.util.Map.of("http_proxy", proxy, "HTTPS_PROXY", proxy))
                // the command checks the value without naming it: the command line itself is logged
                .command(List.of("/bin/sh", "-c", "case \"$http_proxy\" in http://builder:*@127.0.0.1:3128) echo"
                        + " proxy-seen;; esac; printf '{\"name\":\"example.com/child\"}' > manifest.json"))
                .commandOutput((stream, line) -> commandSaw.append(line)).build());

        assertThat(commandSaw.toString()).as("the command got the variable").contains("proxy-seen");
        assertThat(new String(Files.readAllBytes(output), StandardCharsets.ISO_8859_1)).as("output ACI bytes")
                .doesNotContain(secret).doesNotContain("http_proxy");
        assertThat(new String(Files.readAllBytes(built.stored().orElseThrow().aciFile()), StandardCharsets.ISO_8859_1))
                .as("stored ACI").doesNotContain(secret);
        assertThat(built.stored().orElseThrow().manifest().toString()).doesNotContain(secret);
        assertThat(filesContaining(built.stored().orElseThrow().rootfs(), secret)).as("files of the rendered image").isEmpty();
        assertThat(String.join("\n", log.messages())).as("the log").doesNotContain(secret);
        System.out.println("[safe defaults] proxy credentials: not in " + output.getFileName() + " ("
                + Files.size(output) + " bytes scanned), not in the store, not in " + log.messages().size()
                + " log messages");
    }

    private static java.util.List<Path> filesContaining(Path root, String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> contains(p, needle)).toList();
        }
    }

    private static boolean contains(Path file, byte[] needle) {
        try (InputStream in = Files.newInputStream(file)) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return new String(all.toByteArray(), StandardCharsets.ISO_8859_1)
                    .contains(new String(needle, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            return false;
        }
    }

    /** Reaches the reliability package's parent image maker. */
    static final class ReliabilityParent {
        static Path aci(Path temp) throws IOException {
            return dev.jetpack.engine.reliability.TestParents.aci(temp, "example.com/parent");
        }
    }
}
