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
import java.util.Optional;
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
    void aRequestWithTheValidatorsOfTheLastAnswerIsAnswered304WithoutABody() throws IOException {
        https.serveWithEtag("/cached.aci", PAYLOAD, "\"v1\"");
        HttpFetcher fetcher = fetcher();

        Optional<CacheValidators> validators;
        try (HttpStream first = modified(fetcher.open(https.uri("/cached.aci"), Optional.empty(), "ACI",
                ProgressListener.NONE))) {
            assertThat(first.readAllBytes()).isEqualTo(PAYLOAD);
            validators = first.validators();
        }
        ConditionalBody second = fetcher.open(https.uri("/cached.aci"), validators, "ACI", ProgressListener.NONE);

        assertThat(validators).hasValueSatisfying(v -> assertThat(v.etag()).isEqualTo("\"v1\""));
        assertThat(second).isEqualTo(new ConditionalBody.NotModified(https.uri("/cached.aci")));
        assertThat(https.requests("/cached.aci")).isEqualTo(2);
        assertThat(https.bodiesSent("/cached.aci")).isEqualTo(1);
        assertThat(https.lastRequestHeaders("/cached.aci").getFirst("If-None-Match")).isEqualTo("\"v1\"");
        assertThat(log.messages()).anyMatch(m -> m.startsWith("INFO ") && m.contains("not modified (HTTP 304)"));
    }

    @Test
    void withoutValidatorsTheRequestIsUnconditionalAndA304IsAnError() throws IOException {
        https.serveWithEtag("/changed.aci", PAYLOAD, "\"v1\"");
        try (HttpStream again = modified(fetcher().open(https.uri("/changed.aci"), Optional.empty(), "ACI",
                ProgressListener.NONE))) {
            assertThat(again.readAllBytes()).isEqualTo(PAYLOAD);
        }
        assertThat(https.lastRequestHeaders("/changed.aci").getFirst("If-None-Match")).isNull();

        https.handle("/always-304", exchange -> {
            exchange.sendResponseHeaders(304, -1);
            exchange.close();
        });
        assertThatThrownBy(() -> fetcher().open(https.uri("/always-304")))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("HTTP 304")
                .hasMessageContaining("misbehaving");
    }

    private static HttpStream modified(ConditionalBody answer) {
        assertThat(answer).isInstanceOf(ConditionalBody.Modified.class);
        return ((ConditionalBody.Modified) answer).body();
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
