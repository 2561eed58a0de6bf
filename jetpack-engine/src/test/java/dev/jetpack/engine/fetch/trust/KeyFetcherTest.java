package dev.jetpack.engine.fetch.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.fetch.discovery.AppcDiscovery;
import dev.jetpack.engine.fetch.discovery.DiscoveryOptions;
import dev.jetpack.engine.fetch.http.EnvironmentProxySelector;
import dev.jetpack.engine.fetch.http.HttpFetcher;
import dev.jetpack.engine.fetch.http.HttpSettings;
import dev.jetpack.engine.fetch.http.TlsPolicy;
import dev.jetpack.engine.testing.RecordingLog;
import dev.jetpack.engine.testing.TestHttpServer;
import dev.jetpack.engine.testing.TestKeys;
import dev.jetpack.engine.testing.TestKeys.TestKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFetcherTest {
    private static TestHttpServer https;
    private static TestKey publisher;
    private static TestKey other;

    @TempDir
    Path dir;

    private final RecordingLog log = new RecordingLog();
    private TrustStore store;
    private KeyFetcher keys;
    private DiscoveryOptions options;

    @BeforeAll
    static void start() {
        https = TestHttpServer.https();
        publisher = TestKeys.ed25519("Publisher <images@example.com>");
        other = TestKeys.ed25519("Other <other@example.com>");
        https.serve("/keys/publisher.asc", publisher.armoredPublicKey());
        https.serve("/keys/other.asc", other.armoredPublicKey());
        String base = https.uri("").toString();
        https.serveText("/example.com/app", "<html><head>"
                + "<meta name=\"ac-discovery\" content=\"example.com " + base + "/{name}.{ext}\">"
                + "<meta name=\"ac-discovery-pubkeys\" content=\"example.com " + base + "/keys/other.asc\">"
                + "<meta name=\"ac-discovery-pubkeys\" content=\"example.com " + base + "/keys/publisher.asc\">"
                + "</head></html>");
    }

    @AfterAll
    static void stop() {
        https.close();
    }

    @BeforeEach
    void setUp() {
        HttpFetcher http = new HttpFetcher(HttpSettings.builder()
                .tls(TlsPolicy.trusting(https.clientSslContext(), "the test certificate"))
                .proxySelector(EnvironmentProxySelector.from(Map.of(), new Properties()))
                .build(), log);
        store = new TrustStore(dir.resolve("trustedkeys"), log);
        keys = new KeyFetcher(http, new AppcDiscovery(http, log), store, log);
        options = DiscoveryOptions.builder().discoveryUri(p -> https.uri("/" + p + "?ac-discovery=1")).build();
    }

    @Test
    void trustsAKeyFromAnHttpsUrlWithTheExpectedFingerprint() {
        keys.trust(TrustScope.prefix("example.com"), https.uri("/keys/publisher.asc").toString(),
                KeyAcceptance.fingerprint(publisher.fingerprint()));

        assertThat(store.keysFor("example.com/app")).extracting(TrustedKey::fingerprint)
                .containsExactly(publisher.fingerprint());
    }

    @Test
    void trustsAKeyFromALocalFile() throws IOException {
        Path file = Files.write(dir.resolve("publisher key.asc"), publisher.armoredPublicKey());

        keys.trust(TrustScope.root(), file.toString(), KeyAcceptance.fingerprint(publisher.fingerprint()));
        keys.trust(TrustScope.prefix("example.com"), file.toUri().toString(),
                KeyAcceptance.fingerprint(publisher.fingerprint()));

        assertThat(store.list()).hasSize(2);
    }

    @Test
    void aWrongFingerprintTrustsNothing() {
        assertThatThrownBy(() -> keys.trust(TrustScope.prefix("example.com"), https.uri("/keys/other.asc").toString(),
                KeyAcceptance.fingerprint(publisher.fingerprint())))
                .isInstanceOf(TrustException.class)
                .hasMessageContaining("not the expected");
        assertThat(store.list()).isEmpty();
    }

    @Test
    void discoveredKeysAreTrustedOnlyWhenTheFingerprintMatches() {
        keys.trustFromDiscovery("example.com/app", KeyAcceptance.fingerprint(publisher.fingerprint()), options);

        assertThat(store.list()).extracting(TrustedKey::fingerprint).containsExactly(publisher.fingerprint());
        assertThat(log.warnings()).isEmpty();
    }

    @Test
    void discoveredKeysWithoutTheExpectedFingerprintAreRejected() {
        TestKey unrelated = TestKeys.ed25519("Unrelated <u@example.com>");

        assertThatThrownBy(() -> keys.trustFromDiscovery("example.com/app",
                KeyAcceptance.fingerprint(unrelated.fingerprint()), options))
                .isInstanceOf(TrustException.class)
                .hasMessageContaining("No key was trusted for example.com/app");
        assertThat(store.list()).isEmpty();
    }

    @Test
    void trustOnFirstUseTakesEveryPublishedKeyAndWarns() {
        keys.trustFromDiscovery("example.com/app", KeyAcceptance.trustOnFirstUse(), options);

        assertThat(store.keysFor("example.com/app")).extracting(TrustedKey::fingerprint)
                .containsExactlyInAnyOrder(publisher.fingerprint(), other.fingerprint());
        assertThat(log.warnings()).filteredOn(w -> w.contains("first use")).hasSize(2);
    }

    @Test
    void aPrefixWithoutPublishedKeysSaysHowToAddOne() {
        https.serveText("/nokeys.example", "<html><head><meta name=\"ac-discovery\" content=\"nokeys.example "
                + https.uri("") + "/{name}.{ext}\"></head></html>");

        assertThatThrownBy(() -> keys.trustFromDiscovery("nokeys.example", KeyAcceptance.trustOnFirstUse(), options))
                .isInstanceOfSatisfying(TrustException.class, e -> assertThat(e.remedy())
                        .hasValue(new TrustRemedy.TrustKeyForPrefix("nokeys.example", java.util.Optional.empty())))
                .hasMessageContaining("publish no public key")
                .hasMessageContaining("Get the key's URL and fingerprint from the publisher and trust that key for"
                        + " nokeys.example.")
                .hasMessageNotContaining("jetpack trust").hasMessageNotContaining("-prefix");
    }
}
