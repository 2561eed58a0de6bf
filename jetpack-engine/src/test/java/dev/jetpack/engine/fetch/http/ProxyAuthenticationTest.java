package dev.jetpack.engine.fetch.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.fetch.FetchException;
import dev.jetpack.engine.testing.RecordingLog;
import dev.jetpack.engine.testing.SquidProxy;
import dev.jetpack.engine.testing.TestHttpServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Downloads through a real authenticating proxy (squid with Basic auth on 127.0.0.1): the credentials of
 * {@code http_proxy} go to the proxy and nowhere else, a wrong or missing password is a proxy authentication
 * failure that names the proxy and never the password. HTTPS through it (CONNECT) is covered by the CLI's
 * {@code CliProxyTest}, in a JVM of its own, as the JDK reads its tunnelling setting once per JVM.
 */
class ProxyAuthenticationTest {
    private static final String USER = "jet-user";
    private static final String PASSWORD = "pa:ss@w0rd+%";

    private static SquidProxy proxy;
    private static TestHttpServer server;

    @BeforeAll
    static void start() {
        proxy = SquidProxy.start(USER, PASSWORD);
        server = TestHttpServer.http().serve("/image.aci", "the image".getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    private static URI proxied(String path) {
        return URI.create("http://" + SquidProxy.PROXIED_HOST + ":" + server.port() + path);
    }

    private static HttpFetcher fetcherVia(String proxyUrl, RecordingLog log) {
        return new HttpFetcher(HttpSettings.builder().allowPlainHttp(true)
                .proxySelector(EnvironmentProxySelector.from(Map.of("http_proxy", proxyUrl), new Properties()))
                .build(), log);
    }

    @Test
    void theRightPasswordGetsTheFileThroughTheProxyAndOnlyTheProxySeesIt() {
        RecordingLog log = new RecordingLog();
        byte[] body = fetcherVia(proxy.url(USER, PASSWORD), log).fetchBytes(proxied("/image.aci"), "the image", 1024);

        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("the image");
        // squid logs the user it authenticated, URL-decoded; the server never sees proxy credentials
        assertThat(proxy.awaitAccessLog(line -> line.contains("GET " + proxied("/image.aci") + " ")))
                .contains("/200 ").contains(" " + USER + " ");
        assertThat(server.lastRequestHeaders("/image.aci").keySet()).noneMatch(h -> h.toLowerCase().startsWith("proxy-"));
        assertThat(String.join("\n", log.messages())).doesNotContain(PASSWORD);
    }

    @Test
    void aWrongPasswordIsAProxyAuthenticationFailureNamingTheProxyNotThePassword() {
        RecordingLog log = new RecordingLog();
        int before = server.requests("/image.aci");

        assertThatThrownBy(() -> fetcherVia(proxy.url(USER, "not-" + PASSWORD), log)
                .fetchBytes(proxied("/image.aci"), "the image", 1024))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("Proxy authentication failed")
                .hasMessageContaining("127.0.0.1:" + proxy.port())
                .hasMessageContaining("environment variable http_proxy")
                .hasMessageContaining("user " + USER)
                .hasMessageContaining("HTTP 407")
                .hasMessageNotContaining(PASSWORD)
                .hasMessageNotContaining("not-");
        assertThat(server.requests("/image.aci")).isEqualTo(before);
        assertThat(String.join("\n", log.messages())).doesNotContain(PASSWORD);
    }

    @Test
    void noCredentialsSaysWhereToGiveThem() {
        assertThatThrownBy(() -> fetcherVia(proxy.url(), new RecordingLog())
                .fetchBytes(proxied("/image.aci"), "the image", 1024))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("Proxy authentication failed")
                .hasMessageContaining("127.0.0.1:" + proxy.port())
                .hasMessageContaining("no credentials are configured")
                .hasMessageContaining("http://USER:PASSWORD@127.0.0.1:" + proxy.port());
    }
}
