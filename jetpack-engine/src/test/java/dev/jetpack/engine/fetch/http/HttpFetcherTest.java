package dev.jetpack.engine.fetch.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.fetch.FetchException;
import dev.jetpack.engine.testing.RecordingLog;
import dev.jetpack.engine.testing.TestHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpFetcherTest {
    private static TestHttpServer https;
    private static TestHttpServer http;
    private static final byte[] PAYLOAD = new byte[300_000];

    @TempDir
    Path dir;

    private final RecordingLog log = new RecordingLog();

    @BeforeAll
    static void start() {
        new Random(42).nextBytes(PAYLOAD);
        https = TestHttpServer.https();
        http = TestHttpServer.http();
    }

    @AfterAll
    static void stop() {
        https.close();
        http.close();
    }

    private HttpSettings.Builder settings() {
        return HttpSettings.builder()
                .tls(TlsPolicy.trusting(https.clientSslContext(), "the test certificate"))
                .proxySelector(EnvironmentProxySelector.from(Map.of(), new Properties()))
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(5));
    }

    private HttpFetcher fetcher() {
        return new HttpFetcher(settings().build(), log);
    }

    @Test
    void downloadsOverHttpsWithTheTrustedCertificateAndReportsProgress() throws IOException {
        https.serve("/ok.aci", PAYLOAD);
        List<long[]> progress = new ArrayList<>();
        Path target = dir.resolve("ok.aci");

        DownloadResult result = fetcher().download(https.uri("/ok.aci"), target, "test ACI",
                (task, done, total) -> progress.add(new long[] {done, total}));

        assertThat(target).hasBinaryContent(PAYLOAD);
        assertThat(result.size()).isEqualTo(PAYLOAD.length);
        assertThat(result.notModified()).isFalse();
        assertThat(progress).isNotEmpty();
        assertThat(progress.get(progress.size() - 1)).containsExactly(PAYLOAD.length, PAYLOAD.length);
    }

    @Test
    void aCertificateNotInTheTrustStoreIsRefused() {
        https.serve("/untrusted.aci", PAYLOAD);
        HttpFetcher defaultTrust = new HttpFetcher(settings().tls(TlsPolicy.systemDefault()).build(), log);

        assertThatThrownBy(() -> defaultTrust.download(https.uri("/untrusted.aci"), dir.resolve("x"),
                ProgressListener.NONE))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("certificate was not accepted")
                .hasMessageContaining(https.uri("/untrusted.aci").toString());
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void plainHttpIsRefusedUnlessAllowedAndThenWarns() {
        http.serve("/plain.aci", PAYLOAD);

        assertThatThrownBy(() -> fetcher().download(http.uri("/plain.aci"), dir.resolve("p"), ProgressListener.NONE))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("Refusing plain HTTP URL");
        assertThat(http.requests("/plain.aci")).isZero();

        HttpFetcher allowing = new HttpFetcher(settings().allowPlainHttp(true).build(), log);
        allowing.download(http.uri("/plain.aci"), dir.resolve("p"), ProgressListener.NONE);
        assertThat(dir.resolve("p")).hasBinaryContent(PAYLOAD);
        assertThat(log.warnings()).anyMatch(w -> w.contains("plain HTTP"));
    }

    @Test
    void followsRedirectsIncludingRelativeOnes() {
        https.serve("/final.aci", PAYLOAD);
        https.redirect("/hop2", 302, "/final.aci");
        https.redirect("/hop1", 301, https.uri("/hop2").toString());

        DownloadResult result = fetcher().download(https.uri("/hop1"), dir.resolve("r"), ProgressListener.NONE);

        assertThat(dir.resolve("r")).hasBinaryContent(PAYLOAD);
        assertThat(result.finalUri()).isEqualTo(https.uri("/final.aci"));
    }

    @Test
    void stopsAfterTheRedirectLimit() {
        https.redirect("/loop", 302, "/loop");
        HttpFetcher limited = new HttpFetcher(settings().maxRedirects(3).build(), log);

        assertThatThrownBy(() -> limited.download(https.uri("/loop"), dir.resolve("l"), ProgressListener.NONE))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("Too many redirects");
        assertThat(https.requests("/loop")).isEqualTo(4);
    }

    @Test
    void anHttpsToHttpRedirectIsRefused() {
        http.serve("/downgraded.aci", PAYLOAD);
        https.redirect("/downgrade", 302, http.uri("/downgraded.aci").toString());

        assertThatThrownBy(() -> fetcher().download(https.uri("/downgrade"), dir.resolve("d"), ProgressListener.NONE))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("redirects to plain HTTP")
                .hasMessageContaining("Refused");
        assertThat(http.requests("/downgraded.aci")).isZero();
    }

    @Test
    void notFoundNamesStatusUrlAndWhatWasExpected() {
        assertThatThrownBy(() -> fetcher().download(https.uri("/missing.aci"), dir.resolve("m"),
                "ACI example.com/app:1.0", ProgressListener.NONE))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.status()).hasValue(404))
                .hasMessageContaining("HTTP 404")
                .hasMessageContaining(https.uri("/missing.aci").toString())
                .hasMessageContaining("Expected ACI example.com/app:1.0");
        assertThat(dir.resolve("m")).doesNotExist();
    }

    @Test
    void aTruncatedBodyFailsAndLeavesNothing() throws IOException {
        https.truncated("/short.aci", new byte[1000], 5000);

        assertThatThrownBy(() -> fetcher().download(https.uri("/short.aci"), dir.resolve("t"), ProgressListener.NONE))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("of 5000 bytes")
                .hasMessageContaining(https.uri("/short.aci").toString());
        assertDirectoryEmpty();
    }

    @Test
    void aStalledServerTimesOutInsteadOfHanging() throws IOException {
        https.stall("/stall.aci", new byte[2000], 100_000);
        HttpFetcher impatient = new HttpFetcher(settings().readTimeout(Duration.ofMillis(300)).build(), log);

        assertThatThrownBy(() -> impatient.download(https.uri("/stall.aci"), dir.resolve("s"), ProgressListener.NONE))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("stalled")
                .hasMessageContaining("after 2000 of 100000 bytes");
        assertDirectoryEmpty();
    }

    @Test
    void aStallWhileStreamingFailsTheRead() {
        https.stall("/stall-stream", new byte[10], 100);
        HttpFetcher impatient = new HttpFetcher(settings().readTimeout(Duration.ofMillis(300)).build(), log);

        assertThatThrownBy(() -> {
            try (InputStream in = impatient.open(https.uri("/stall-stream"))) {
                in.readAllBytes();
            }
        }).isInstanceOf(FetchException.class).hasMessageContaining("stalled");
    }

    @Test
    void aSecondDownloadIsAConditionalRequestAnswered304WithoutABody() throws IOException {
        https.serveWithEtag("/cached.aci", PAYLOAD, "\"v1\"");
        HttpFetcher caching = new HttpFetcher(settings().cacheDirectory(dir.resolve("cache")).build(), log);
        Path target = dir.resolve("downloads/cached.aci");

        DownloadResult first = caching.download(https.uri("/cached.aci"), target, "ACI", ProgressListener.NONE);
        DownloadResult second = caching.download(https.uri("/cached.aci"), target, "ACI", ProgressListener.NONE);

        assertThat(first.notModified()).isFalse();
        assertThat(second.notModified()).isTrue();
        assertThat(target).hasBinaryContent(PAYLOAD);
        assertThat(https.requests("/cached.aci")).isEqualTo(2);
        assertThat(https.bodiesSent("/cached.aci")).isEqualTo(1);
        assertThat(https.lastRequestHeaders("/cached.aci").getFirst("If-None-Match")).isEqualTo("\"v1\"");
        assertThat(log.messages()).anyMatch(m -> m.startsWith("INFO ") && m.contains("not modified, using cached copy"));

        // Another target gets a copy of the cached file, still without a body transfer.
        Path elsewhere = dir.resolve("elsewhere.aci");
        assertThat(caching.download(https.uri("/cached.aci"), elsewhere, ProgressListener.NONE).notModified()).isTrue();
        assertThat(elsewhere).hasBinaryContent(PAYLOAD);
        assertThat(https.bodiesSent("/cached.aci")).isEqualTo(1);
    }

    @Test
    void aChangedCachedFileIsDownloadedAgainUnconditionally() throws IOException {
        https.serveWithEtag("/changed.aci", PAYLOAD, "\"v1\"");
        HttpFetcher caching = new HttpFetcher(settings().cacheDirectory(dir.resolve("cache")).build(), log);
        Path target = dir.resolve("changed.aci");
        caching.download(https.uri("/changed.aci"), target, ProgressListener.NONE);
        Files.write(target, "tampered".getBytes(StandardCharsets.UTF_8));

        DownloadResult again = caching.download(https.uri("/changed.aci"), target, ProgressListener.NONE);

        assertThat(again.notModified()).isFalse();
        assertThat(target).hasBinaryContent(PAYLOAD);
        assertThat(https.lastRequestHeaders("/changed.aci").getFirst("If-None-Match")).isNull();
    }

    @Test
    void openStreamsTheBodyOnce() throws IOException {
        https.serve("/stream.aci", PAYLOAD);
        try (HttpStream in = fetcher().open(https.uri("/stream.aci"))) {
            assertThat(in.contentLength()).isEqualTo(PAYLOAD.length);
            assertThat(in.readAllBytes()).isEqualTo(PAYLOAD);
        }
    }

    @Test
    void fetchBytesRefusesOversizedBodies() {
        https.serve("/big", PAYLOAD);
        assertThatThrownBy(() -> fetcher().fetchBytes(https.uri("/big"), "a discovery page", 1000))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("larger than 1000 bytes");
    }

    @Test
    void aClosedPortFailsWithAConnectionMessage() {
        int port;
        try (TestHttpServer gone = TestHttpServer.https()) {
            port = gone.port();
        }
        java.net.URI uri = java.net.URI.create("https://127.0.0.1:" + port + "/x");
        assertThatThrownBy(() -> fetcher().download(uri, dir.resolve("c"), ProgressListener.NONE))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("Could not fetch")
                .hasMessageContaining(uri.toString());
    }

    private void assertDirectoryEmpty() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
