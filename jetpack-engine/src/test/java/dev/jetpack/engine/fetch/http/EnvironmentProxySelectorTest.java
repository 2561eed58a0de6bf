package dev.jetpack.engine.fetch.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.fetch.FetchException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EnvironmentProxySelectorTest {
    private static final Properties NO_PROPERTIES = new Properties();

    private static String proxyOf(EnvironmentProxySelector selector, String url) {
        List<Proxy> proxies = selector.select(URI.create(url));
        assertThat(proxies).hasSize(1);
        if (proxies.get(0).type() == Proxy.Type.DIRECT) {
            return "DIRECT";
        }
        InetSocketAddress address = (InetSocketAddress) proxies.get(0).address();
        return address.getHostString() + ":" + address.getPort();
    }

    @Test
    void usesTheProxyVariableOfTheUrlsScheme() {
        EnvironmentProxySelector selector = EnvironmentProxySelector.from(Map.of(
                "https_proxy", "http://secure-proxy:3128", "http_proxy", "plain-proxy:8080"), NO_PROPERTIES);

        assertThat(proxyOf(selector, "https://example.com/app.aci")).isEqualTo("secure-proxy:3128");
        assertThat(proxyOf(selector, "http://example.com/app.aci")).isEqualTo("plain-proxy:8080");
    }

    @Test
    void readsUpperCaseVariablesWhenLowerCaseAreUnset() {
        EnvironmentProxySelector selector = EnvironmentProxySelector.from(Map.of(
                "HTTPS_PROXY", "http://upper:1", "NO_PROXY", "internal.example"), NO_PROPERTIES);

        assertThat(proxyOf(selector, "https://example.com/")).isEqualTo("upper:1");
        assertThat(proxyOf(selector, "https://repo.internal.example/")).isEqualTo("DIRECT");
    }

    @Test
    void lowerCaseWinsOverUpperCase() {
        EnvironmentProxySelector selector = EnvironmentProxySelector.from(Map.of(
                "https_proxy", "http://lower:1", "HTTPS_PROXY", "http://upper:2"), NO_PROPERTIES);

        assertThat(proxyOf(selector, "https://example.com/")).isEqualTo("lower:1");
    }

    @Test
    void noProxyMatchesDomainsBySuffixAtADotPortsAndCidrBlocks() {
        EnvironmentProxySelector selector = EnvironmentProxySelector.from(Map.of(
                "https_proxy", "http://proxy:3128",
                "no_proxy", " example.com, .corp.net,*.lan, mirror.io:8443, 10.0.0.0/8 "), NO_PROPERTIES);

        assertThat(proxyOf(selector, "https://example.com/")).isEqualTo("DIRECT");
        assertThat(proxyOf(selector, "https://a.b.example.com/")).isEqualTo("DIRECT");
        assertThat(proxyOf(selector, "https://notexample.com/")).isEqualTo("proxy:3128");
        assertThat(proxyOf(selector, "https://x.corp.net/")).isEqualTo("DIRECT");
        assertThat(proxyOf(selector, "https://box.lan/")).isEqualTo("DIRECT");
        assertThat(proxyOf(selector, "https://mirror.io:8443/")).isEqualTo("DIRECT");
        assertThat(proxyOf(selector, "https://mirror.io/")).isEqualTo("proxy:3128");
        assertThat(proxyOf(selector, "https://10.1.2.3/")).isEqualTo("DIRECT");
        assertThat(proxyOf(selector, "https://11.1.2.3/")).isEqualTo("proxy:3128");
    }

    @Test
    void aStarInNoProxyDisablesTheProxy() {
        EnvironmentProxySelector selector = EnvironmentProxySelector.from(Map.of(
                "https_proxy", "http://proxy:3128", "no_proxy", "*"), NO_PROPERTIES);

        assertThat(proxyOf(selector, "https://example.com/")).isEqualTo("DIRECT");
    }

    @Test
    void loopbackIsAlwaysDirect() {
        EnvironmentProxySelector selector = EnvironmentProxySelector.from(Map.of(
                "https_proxy", "http://proxy:3128"), NO_PROPERTIES);

        assertThat(proxyOf(selector, "https://127.0.0.1:8443/")).isEqualTo("DIRECT");
        assertThat(proxyOf(selector, "https://localhost/")).isEqualTo("DIRECT");
    }

    @Test
    void systemPropertiesWinOverTheEnvironmentAndNonProxyHostsApply() {
        Properties properties = new Properties();
        properties.setProperty("https.proxyHost", "prop-proxy");
        properties.setProperty("https.proxyPort", "8443");
        properties.setProperty("http.nonProxyHosts", "*.internal|build.example.com");
        EnvironmentProxySelector selector = EnvironmentProxySelector.from(Map.of(
                "https_proxy", "http://env-proxy:3128"), properties);

        assertThat(proxyOf(selector, "https://example.com/")).isEqualTo("prop-proxy:8443");
        assertThat(proxyOf(selector, "https://git.internal/")).isEqualTo("DIRECT");
        assertThat(proxyOf(selector, "https://build.example.com/")).isEqualTo("DIRECT");
    }

    @Test
    void noProxyConfiguredMeansDirect() {
        EnvironmentProxySelector selector = EnvironmentProxySelector.from(Map.of(), NO_PROPERTIES);

        assertThat(proxyOf(selector, "https://example.com/")).isEqualTo("DIRECT");
    }

    @Test
    void credentialsAreNeverShownInTheDescription() {
        EnvironmentProxySelector selector = EnvironmentProxySelector.from(Map.of(
                "https_proxy", "http://user:secret@proxy:3128"), NO_PROPERTIES);

        assertThat(selector.proxyFor(URI.create("https://example.com/")).orElseThrow().toString())
                .doesNotContain("secret").contains("proxy:3128");
    }

    @Test
    void aTlsProxyUrlIsRejectedWithAFix() {
        assertThatThrownBy(() -> EnvironmentProxySelector.from(Map.of("https_proxy", "https://proxy:443"),
                NO_PROPERTIES))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("https_proxy")
                .hasMessageContaining("http://HOST:PORT");
    }

    @Test
    void credentialsOfTheProxyUrlArePercentDecodedAndGoOnlyToRequestsThroughThatProxy() {
        Properties properties = new Properties();
        properties.setProperty("http.proxyHost", "java-proxy");
        properties.setProperty("http.proxyUser", "duke");
        properties.setProperty("http.proxyPassword", "j4va");
        EnvironmentProxySelector selector = EnvironmentProxySelector.from(Map.of(
                "https_proxy", "http://me%40corp:p%3Ass+w%25rd@secure-proxy:3128", "no_proxy", "internal.example"),
                properties);
        HttpSettings settings = HttpSettings.builder().proxySelector(selector).build();

        ProxyCredentials credentials = selector.proxyFor(URI.create("https://example.com/a.aci")).orElseThrow()
                .credentials().orElseThrow();
        assertThat(credentials).isEqualTo(new ProxyCredentials("me@corp", "p:ss+w%rd"));
        assertThat(credentials.toString()).doesNotContain("p:ss").contains("me@corp");
        assertThat(selector.proxyFor(URI.create("https://example.com/")).orElseThrow().toString())
                .isEqualTo("secure-proxy:3128 (from environment variable https_proxy, me@corp)");
        assertThat(settings.request(URI.create("https://example.com/a.aci")).build().headers()
                .firstValue("Proxy-Authorization")).contains("Basic " + java.util.Base64.getEncoder()
                .encodeToString("me@corp:p:ss+w%rd".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        // bypassed and loopback hosts are reached directly: no proxy, so no credentials either
        assertThat(settings.request(URI.create("https://internal.example/a.aci")).build().headers()
                .firstValue("Proxy-Authorization")).isEmpty();
        assertThat(settings.request(URI.create("https://127.0.0.1:8443/a.aci")).build().headers()
                .firstValue("Proxy-Authorization")).isEmpty();
        // the system properties' proxy, with http.proxyUser/http.proxyPassword
        assertThat(selector.proxyFor(URI.create("http://example.com/")).orElseThrow().credentials())
                .contains(new ProxyCredentials("duke", "j4va"));
    }

    @Test
    void aProxyWithoutCredentialsSendsNone() {
        HttpSettings settings = HttpSettings.builder().proxySelector(EnvironmentProxySelector.from(Map.of(
                "http_proxy", "http://plain-proxy:8080"), NO_PROPERTIES)).build();

        assertThat(settings.request(URI.create("http://example.com/a.aci")).build().headers()
                .firstValue("Proxy-Authorization")).isEmpty();
        assertThat(settings.proxyFor(URI.create("http://example.com/a.aci")).orElseThrow().credentials()).isEmpty();
    }
}
