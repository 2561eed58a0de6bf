package dev.jetpack.engine.fetch.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.fetch.FetchException;
import dev.jetpack.engine.fetch.http.EnvironmentProxySelector;
import dev.jetpack.engine.fetch.http.HttpFetcher;
import dev.jetpack.engine.fetch.http.HttpSettings;
import dev.jetpack.engine.fetch.http.TlsPolicy;
import dev.jetpack.engine.manifest.ImageReference;
import dev.jetpack.engine.testing.RecordingLog;
import dev.jetpack.engine.testing.TestHttpServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppcDiscoveryTest {
    private TestHttpServer https;
    private TestHttpServer http;
    private final RecordingLog log = new RecordingLog();
    private AppcDiscovery discovery;
    /** Reads with plain HTTP allowed. */
    private AppcDiscovery plainHttpDiscovery;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        https = TestHttpServer.https();
        http = TestHttpServer.http();
        HttpFetcher fetcher = new HttpFetcher(HttpSettings.builder()
                .tls(TlsPolicy.trusting(https.clientSslContext(), "the test certificate"))
                .proxySelector(EnvironmentProxySelector.from(Map.of(), new Properties()))
                .readTimeout(Duration.ofSeconds(5))
                .build(), log);
        discovery = new AppcDiscovery(fetcher, log);
        plainHttpDiscovery = new AppcDiscovery(new HttpFetcher(fetcher.settings().toBuilder().allowPlainHttp(true)
                .build(), log), log);
    }

    @AfterEach
    void stop() {
        https.close();
        http.close();
    }

    /** Discovery pages of {@code server}: prefix p is at /p. */
    private DiscoveryOptions.Builder on(TestHttpServer server) {
        return DiscoveryOptions.builder().os("linux").arch("amd64")
                .discoveryUri(prefix -> server.uri("/" + prefix + "?ac-discovery=1"));
    }

    private String base() {
        return https.uri("").toString();
    }

    private static String page(String... metas) {
        StringBuilder html = new StringBuilder("<html><head>\n");
        for (String meta : metas) {
            html.append(meta).append('\n');
        }
        return html.append("</head><body></body></html>").toString();
    }

    private static String discoveryMeta(String prefix, String template) {
        return "<meta name=\"ac-discovery\" content=\"" + prefix + " " + template + "\">";
    }

    @Test
    void walksUpThePrefixesUntilAPageHasMatchingTags() {
        // example.com/team/app: no route (404); example.com/team: a page without discovery tags.
        https.serveText("/example.com/team", page("<meta name=\"description\" content=\"nothing here\">"));
        https.serveText("/example.com", page(discoveryMeta("example.com", base() + "/images/{name}-{version}.{ext}")));

        List<DiscoveredEndpoints> endpoints = discovery.discover(ImageReference.parse("example.com/team/app:1.0"),
                on(https).build());

        assertThat(endpoints).singleElement().satisfies(e -> {
            assertThat(e.aci()).isEqualTo(URI.create(base() + "/images/example.com/team/app-1.0.aci"));
            assertThat(e.signature()).isEqualTo(URI.create(base() + "/images/example.com/team/app-1.0.aci.asc"));
            assertThat(e.prefix()).isEqualTo("example.com");
        });
        assertThat(https.requests("/example.com/team/app")).isEqualTo(1);
        assertThat(https.requests("/example.com/team")).isEqualTo(1);
        assertThat(https.requests("/example.com")).isEqualTo(1);
    }

    @Test
    void aFailingDiscoveryPageMovesOnToTheParent() {
        https.status("/example.com/app", 500);
        https.serveText("/example.com", page(discoveryMeta("example.com", base() + "/{name}.{ext}")));

        List<DiscoveredEndpoints> endpoints = discovery.discover(ImageReference.parse("example.com/app"),
                on(https).build());

        assertThat(endpoints).extracting(DiscoveredEndpoints::aci)
                .containsExactly(URI.create(base() + "/example.com/app.aci"));
    }

    @Test
    void fillsEveryLabelAndDefaultsVersionOsAndArch() {
        https.serveText("/example.com/app", page(
                discoveryMeta("example.com/app", base() + "/{os}/{arch}/{name}-{version}-{channel}.{ext}")));

        DiscoveredEndpoints explicit = discovery.discover(
                ImageReference.parse("example.com/app:2.1,os=freebsd,arch=i386,channel=beta"), on(https).build()).get(0);
        assertThat(explicit.aci()).isEqualTo(URI.create(base() + "/freebsd/i386/example.com/app-2.1-beta.aci"));

        DiscoveredEndpoints defaulted = discovery.discover(ImageReference.parse("example.com/app,channel=stable"),
                on(https).os("linux").arch("aarch64").build()).get(0);
        assertThat(defaulted.aci()).isEqualTo(URI.create(base() + "/linux/aarch64/example.com/app-latest-stable.aci"));
        assertThat(defaulted.labels()).containsEntry("version", "latest").containsEntry("arch", "aarch64");
    }

    @Test
    void skipsTemplatesWithAPlaceholderLeftOverAndKeepsOnlyTheBestMatches() {
        https.serveText("/example.com/app", page(
                discoveryMeta("example.com", base() + "/flavoured/{name}-{flavor}.{ext}"),
                discoveryMeta("example.com", base() + "/latest/{name}.{ext}"),
                discoveryMeta("example.com", base() + "/a/{os}/{arch}/{name}-{version}.{ext}"),
                discoveryMeta("example.com", base() + "/b/{os}/{arch}/{name}-{version}.{ext}")));

        List<DiscoveredEndpoints> endpoints = discovery.discover(ImageReference.parse("example.com/app:1.0"),
                on(https).build());

        assertThat(endpoints).extracting(e -> e.aci().getPath()).containsExactly(
                "/a/linux/amd64/example.com/app-1.0.aci", "/b/linux/amd64/example.com/app-1.0.aci");
    }

    @Test
    void prefixesMatchWholePathSegmentsOnly() {
        https.serveText("/example.com/foobar", page(discoveryMeta("example.com/foo", base() + "/foo/{name}.{ext}")));
        https.serveText("/example.com", page(discoveryMeta("example.com", base() + "/root/{name}.{ext}")));

        List<DiscoveredEndpoints> endpoints = discovery.discover(ImageReference.parse("example.com/foobar"),
                on(https).build());

        assertThat(endpoints).extracting(e -> e.aci().getPath()).containsExactly("/root/example.com/foobar.aci");
    }

    @Test
    void theNextEndpointIsTriedWhenTheFirstFails() {
        https.serveText("/example.com/app", page(
                discoveryMeta("example.com", base() + "/broken/{name}.{ext}"),
                discoveryMeta("example.com", base() + "/mirror/{name}.{ext}")));
        https.serve("/mirror/example.com/app.aci", "ACI BYTES".getBytes(StandardCharsets.UTF_8));
        List<DiscoveredEndpoints> endpoints = discovery.discover(ImageReference.parse("example.com/app"),
                on(https).build());
        HttpFetcher fetcher = new HttpFetcher(HttpSettings.builder()
                .tls(TlsPolicy.trusting(https.clientSslContext(), "test")).build(), log);

        Path fetched = AppcDiscovery.firstSuccessful(endpoints, endpoint -> fetcher.download(endpoint.aci(),
                dir.resolve("app.aci"), ProgressListener.NONE).file(), log);

        assertThat(fetched).hasContent("ACI BYTES");
        assertThat(https.requests("/broken/example.com/app.aci")).isEqualTo(1);
        assertThat(log.warnings()).anyMatch(w -> w.contains("/broken/") && w.contains("trying the next one"));
    }

    @Test
    void whenEveryEndpointFailsEachFailureIsReported() {
        https.serveText("/example.com/app", page(
                discoveryMeta("example.com", base() + "/one/{name}.{ext}"),
                discoveryMeta("example.com", base() + "/two/{name}.{ext}")));
        List<DiscoveredEndpoints> endpoints = discovery.discover(ImageReference.parse("example.com/app"),
                on(https).build());
        HttpFetcher fetcher = new HttpFetcher(HttpSettings.builder()
                .tls(TlsPolicy.trusting(https.clientSslContext(), "test")).build(), log);

        assertThatThrownBy(() -> AppcDiscovery.firstSuccessful(endpoints, endpoint -> fetcher.download(
                endpoint.aci(), dir.resolve("app.aci"), ProgressListener.NONE), log))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("All 2 discovered endpoints failed")
                .hasMessageContaining("/one/example.com/app.aci")
                .hasMessageContaining("/two/example.com/app.aci")
                .hasMessageContaining("HTTP 404");
    }

    @Test
    void plainHttpEndpointsAreSkippedUnlessAllowed() {
        String plain = http.uri("").toString();
        https.serveText("/example.com/app", page(discoveryMeta("example.com", plain + "/{name}.{ext}")));

        assertThatThrownBy(() -> discovery.discover(ImageReference.parse("example.com/app"), on(https).build()))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("Discovery found no download location for example.com/app");

        List<DiscoveredEndpoints> allowed = plainHttpDiscovery.discover(ImageReference.parse("example.com/app"),
                on(https).build());
        assertThat(allowed).extracting(DiscoveredEndpoints::aci)
                .containsExactly(URI.create(plain + "/example.com/app.aci"));
        assertThat(log.warnings()).anyMatch(w -> w.contains("plain HTTP"));
    }

    @Test
    void aPlainHttpDiscoveryPageIsRefusedUnlessAllowed() {
        http.serveText("/example.com/app", page(discoveryMeta("example.com", base() + "/{name}.{ext}")));

        assertThatThrownBy(() -> discovery.discover(ImageReference.parse("example.com/app"), on(http).build()))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("Refusing plain HTTP URL");
        assertThat(http.requests("/example.com/app")).isZero();

        assertThat(plainHttpDiscovery.discover(ImageReference.parse("example.com/app"), on(http).build()))
                .hasSize(1);
    }

    @Test
    void aDiscoveryPageRedirectingToPlainHttpIsRefused() {
        http.serveText("/example.com/app", page(discoveryMeta("example.com", base() + "/{name}.{ext}")));
        https.redirect("/example.com/app", 302, http.uri("/example.com/app?ac-discovery=1").toString());

        assertThatThrownBy(() -> discovery.discover(ImageReference.parse("example.com/app"), on(https).build()))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("redirects to plain HTTP");
        assertThat(http.requests("/example.com/app")).isZero();
    }

    @Test
    void redirectsOfTheDiscoveryPageAreFollowed() {
        https.redirect("/example.com/app", 301, "/moved/example.com/app?ac-discovery=1");
        https.serveText("/moved/example.com/app", page(discoveryMeta("example.com", base() + "/{name}.{ext}")));

        assertThat(discovery.discover(ImageReference.parse("example.com/app"), on(https).build())).hasSize(1);
    }

    @Test
    void findsPublishedPublicKeysForThePrefix() {
        https.serveText("/example.com/app", page(
                discoveryMeta("example.com", base() + "/{name}.{ext}"),
                "<meta name=\"ac-discovery-pubkeys\" content=\"example.com " + base() + "/keys.asc\">",
                "<meta name=\"ac-discovery-pubkeys\" content=\"other.org " + base() + "/other.asc\">"));

        assertThat(discovery.discoverPublicKeys("example.com/app", on(https).build()))
                .containsExactly(URI.create(base() + "/keys.asc"));
        assertThat(discovery.discover(ImageReference.parse("example.com/app"), on(https).build()).get(0).publicKeys())
                .containsExactly(URI.create(base() + "/keys.asc"));
    }

    @Test
    void anInvalidNameIsRejectedBeforeAnyRequest() {
        assertThatThrownBy(() -> discovery.discover(ImageReference.parse("Example.com/../app"), on(https).build()))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("AC identifier");
    }

    @Test
    void thePrefixWalkGoesUpOneSegmentAtATime() {
        assertThat(AppcDiscovery.prefixWalk("a.com/b/c")).containsExactly("a.com/b/c", "a.com/b", "a.com");
        assertThat(AppcDiscovery.prefixCovers("example.com/foo", "example.com/foo/bar")).isTrue();
        assertThat(AppcDiscovery.prefixCovers("example.com/foo", "example.com/foobar")).isFalse();
    }
}
