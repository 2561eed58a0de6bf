package dev.jetpack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.aci.AciWriter;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.WriterOptions;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.ManifestCodec;
import dev.jetpack.engine.testing.SelfSignedCertificate;
import dev.jetpack.engine.testing.SquidProxy;
import dev.jetpack.engine.testing.TestHttpServer;
import dev.jetpack.engine.testing.TestKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jetpack fetch} behind a real authenticating proxy (squid, Basic auth, on 127.0.0.1), configured the way
 * command-line users do: {@code https_proxy}/{@code http_proxy=http://USER:PASSWORD@HOST:PORT}. The image and its
 * signature come through the proxy over HTTPS (a CONNECT tunnel, in this JVM of its own where nothing used the
 * JDK's HTTP client before) and over HTTP; a wrong password fails as a proxy authentication failure that names
 * the proxy and never shows the password.
 */
class CliProxyTest {
    private static final TestKeys.TestKey PUBLISHER = TestKeys.ed25519("Publisher <publisher@example.com>");
    private static final String USER = "builder";
    private static final String PASSWORD = "pr0xy:p@ss";

    @TempDir
    Path temp;

    private SquidProxy proxy;
    private TestHttpServer https;
    private TestHttpServer http;
    private Cli cli;

    @BeforeEach
    void setUp() throws IOException {
        proxy = SquidProxy.start(USER, PASSWORD);
        SelfSignedCertificate certificate = SelfSignedCertificate.generate("localhost", SquidProxy.PROXIED_HOST);
        Path app = image();
        byte[] appBytes = Files.readAllBytes(app);
        https = TestHttpServer.https(certificate).serve("/app.aci", appBytes)
                .serve("/app.aci.asc", PUBLISHER.sign(appBytes));
        http = TestHttpServer.http().serve("/app.aci", appBytes).serve("/app.aci.asc", PUBLISHER.sign(appBytes));
        Files.write(temp.resolve("publisher.asc"), PUBLISHER.armoredPublicKey());
        Path trustStore = certificate.writeTrustStore(temp.resolve("trust.p12"));
        cli = new Cli(temp.resolve("store"), temp)
                .env("JAVA_TOOL_OPTIONS", "-Djavax.net.ssl.trustStore=" + trustStore
                        + " -Djavax.net.ssl.trustStorePassword=test");
        Cli.Result trusted = cli.run("trust", "-prefix", "example.com/app", "-fingerprint", PUBLISHER.fingerprint(),
                "publisher.asc");
        assertThat(trusted.exitCode()).as(trusted.toString()).isZero();
    }

    @AfterEach
    void tearDown() {
        for (AutoCloseable closeable : new AutoCloseable[] {https, http, proxy}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private Path image() throws IOException {
        Path rootfs = Files.createDirectories(temp.resolve("rootfs"));
        Files.writeString(rootfs.resolve("name"), "example.com/app");
        byte[] manifest = ManifestCodec.write(ImageManifest.named("example.com/app").withLabel("version", "1.0"),
                false);
        Path aci = temp.resolve("app.aci");
        AciWriter.write(manifest, rootfs, aci, WriterOptions.builder().compression(Compression.GZIP)
                .fixedTimestamp(Instant.EPOCH).build());
        return aci;
    }

    private String httpsUrl(String path) {
        return "https://" + SquidProxy.PROXIED_HOST + ":" + https.port() + path;
    }

    @Test
    void httpsThroughTheProxyWithTheRightPasswordFetchesAndVerifies() {
        Cli.Result result = cli.env("https_proxy", proxy.url(USER, PASSWORD)).run("fetch", httpsUrl("/app.aci"));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.lines()).singleElement().matches(id -> id.matches("sha512-[0-9a-f]{128}"));
        // both the image and its signature went through the tunnel, as the authenticated user
        String tunnel = "CONNECT " + SquidProxy.PROXIED_HOST + ":" + https.port();
        assertThat(proxy.awaitAccessLog(line -> line.contains(tunnel))).contains("TCP_TUNNEL/200")
                .contains(" " + USER + " ");
        assertThat(proxy.accessLog()).filteredOn(line -> line.contains(tunnel))
                .allMatch(line -> line.contains("TCP_TUNNEL/200") && line.contains(" " + USER + " "));
        assertThat(https.requests("/app.aci")).isEqualTo(1);
        assertThat(https.requests("/app.aci.asc")).isEqualTo(1);
        assertThat(result.stderr() + result.out()).doesNotContain(PASSWORD);
    }

    @Test
    void plainHttpThroughTheProxyWithTheRightPasswordFetches() {
        String url = "http://" + SquidProxy.PROXIED_HOST + ":" + http.port() + "/app.aci";
        Cli.Result result = cli.env("http_proxy", proxy.url(USER, PASSWORD)).run("fetch", "--allow-http", url);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(proxy.awaitAccessLog(line -> line.contains("GET " + url + " "))).contains(" " + USER + " ")
                .contains("/200 ");
        assertThat(proxy.awaitAccessLog(line -> line.contains("GET " + url + ".asc "))).contains(" " + USER + " ");
        assertThat(http.lastRequestHeaders("/app.aci").keySet()).noneMatch(h -> h.toLowerCase().startsWith("proxy-"));
        assertThat(result.stderr() + result.out()).doesNotContain(PASSWORD);
    }

    @Test
    void aWrongPasswordFailsAsAProxyAuthenticationFailureWithoutShowingIt() {
        String wrong = "wr0ng-" + PASSWORD;
        Cli.Result result = cli.env("https_proxy", proxy.url(USER, wrong)).run("fetch", httpsUrl("/app.aci"));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(result.stderr()).contains("Proxy authentication failed")
                .contains("the proxy 127.0.0.1:" + proxy.port() + " (from environment variable https_proxy)")
                .contains("refused the credentials of user " + USER)
                .contains("HTTP 407")
                .doesNotContain(PASSWORD).doesNotContain("wr0ng");
        assertThat(https.requests("/app.aci")).isZero();
        assertThat(cli.run("images", "-q").out()).isEmpty();
    }

    @Test
    void aJvmThatKeepsBasicOutOfTunnelsIsToldSoAndHowToChangeIt() {
        // the user's own setting wins over jetpack's default; the JDK then sends no credentials with the CONNECT
        Cli.Result result = cli.env("JAVA_TOOL_OPTIONS", "-Djavax.net.ssl.trustStore=" + temp.resolve("trust.p12")
                        + " -Djavax.net.ssl.trustStorePassword=test -Djdk.http.auth.tunneling.disabledSchemes=Basic")
                .env("https_proxy", proxy.url(USER, PASSWORD)).run("fetch", httpsUrl("/app.aci"));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(result.stderr()).contains("Proxy authentication failed")
                .contains("jdk.http.auth.tunneling.disabledSchemes=Basic")
                .contains("-Djdk.http.auth.tunneling.disabledSchemes=")
                .doesNotContain(PASSWORD);
        assertThat(proxy.awaitAccessLog(line -> line.contains("CONNECT " + SquidProxy.PROXIED_HOST)))
                .contains("TCP_DENIED/407");
        assertThat(https.requests("/app.aci")).isZero();
    }
}
