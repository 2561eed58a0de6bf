package dev.jetpack.engine.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.JetpackSettings;
import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.fetch.http.HttpSettings;
import dev.jetpack.engine.fetch.trust.KeyAcceptance;
import dev.jetpack.engine.fetch.trust.TrustException;
import dev.jetpack.engine.fetch.trust.TrustRemedy;
import dev.jetpack.engine.fetch.trust.TrustScope;
import dev.jetpack.engine.store.StoredImage;
import dev.jetpack.engine.testing.TestImages;
import dev.jetpack.engine.testing.RecordingLog;
import dev.jetpack.engine.testing.TestHttpServer;
import dev.jetpack.engine.testing.TestKeys;
import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The facade's import and trust operations talk to servers with the caller's {@link HttpSettings}, as fetches do:
 * the one place those settings come from is {@link FetchOptions#http()}. (Before, importing by URL, signature URLs
 * and trusting a key URL built their own settings and lost the caller's proxy selector.) And the engine's trust
 * messages name the fix, not a command-line spelling, because Maven users read them too.
 */
class ImportAndTrustOptionsTest {
    private static final TestKeys.TestKey PUBLISHER = TestKeys.ed25519("Publisher <images@example.com>");

    @TempDir
    Path dir;

    private final RecordingLog log = new RecordingLog();
    private final RecordingProxySelector proxies = new RecordingProxySelector();
    private TestHttpServer http;
    private Jetpack jetpack;
    private FetchOptions options;

    @BeforeEach
    void setUp() {
        http = TestHttpServer.http();
        jetpack = new Jetpack(JetpackSettings.builder().storeLocation(dir.resolve("store"))
                .compression(Compression.NONE).build(), log, ProgressListener.NONE);
        options = FetchOptions.builder()
                .http(HttpSettings.builder().allowPlainHttp(true).proxySelector(proxies).build()).build();
    }

    @AfterEach
    void tearDown() {
        http.close();
    }

    @Test
    void importingAUrlWithASignatureUrlAndTrustingAKeyUrlUseTheGivenProxySelector() throws IOException {
        TestImages.Aci aci = new TestImages(Files.createDirectories(dir.resolve("acis")))
                .simple(TestImages.manifest("example.com/app", "version", "1.0"), "the image");
        http.serve("/publisher.asc", PUBLISHER.armoredPublicKey());
        http.serve("/app.aci", aci.bytes());
        http.serve("/app.sig", PUBLISHER.sign(aci.bytes()));

        jetpack.trust(TrustScope.prefix("example.com"), http.uri("/publisher.asc").toString(),
                KeyAcceptance.fingerprint(PUBLISHER.fingerprint()), options);
        StoredImage imported = jetpack.importImage(http.uri("/app.aci").toString(),
                Optional.of(http.uri("/app.sig").toString()), Optional.empty(), options);

        assertThat(imported.id()).isEqualTo(aci.id());
        assertThat(proxies.asked()).extracting(URI::getPath)
                .as("every download asked the caller's proxy selector")
                .contains("/publisher.asc", "/app.aci", "/app.sig");
    }

    @Test
    void untrustingAnUnknownFingerprintNamesTheFixWithoutACommandLineSpelling() {
        String unknown = "0123456789ABCDEF0123456789ABCDEF01234567";

        assertThatThrownBy(() -> jetpack.untrust(unknown))
                .isInstanceOfSatisfying(TrustException.class, e -> assertThat(e.remedy())
                        .hasValue(new TrustRemedy.ListTrustedKeys()))
                .hasMessageContaining("No trusted key has the fingerprint " + unknown)
                .hasMessageContaining("List the trusted keys and give one of their fingerprints.")
                .hasMessageNotContaining("jetpack trust")
                .hasMessageNotContaining("'jetpack");
    }

    /** Connects directly, and remembers every URI a client asked it about. */
    private static final class RecordingProxySelector extends ProxySelector {
        private final List<URI> asked = new CopyOnWriteArrayList<>();

        @Override
        public List<Proxy> select(URI uri) {
            asked.add(uri);
            return List.of(Proxy.NO_PROXY);
        }

        @Override
        public void connectFailed(URI uri, SocketAddress address, IOException failure) {
        }

        List<URI> asked() {
            return asked;
        }
    }
}
