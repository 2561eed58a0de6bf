package dev.jetpack.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.fetch.http.EnvironmentProxySelector.ProxyAddress;
import dev.jetpack.engine.fetch.http.ProxyCredentials;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.settings.Proxy;
import org.junit.jupiter.api.Test;

class ProxySettingsTest {
    private static Proxy proxy(String id, boolean active, String protocol, String host, int port, String user,
            String password, String nonProxy) {
        Proxy p = new Proxy();
        p.setId(id);
        p.setActive(active);
        p.setProtocol(protocol);
        p.setHost(host);
        p.setPort(port);
        p.setUsername(user);
        p.setPassword(password);
        p.setNonProxyHosts(nonProxy);
        return p;
    }

    @Test
    void noActiveProxyGivesNothing() {
        ProxySettings s = ProxySettings.fromMaven(List.of(proxy("a", false, "http", "h", 1, null, null, null)));
        assertThat(s.isEmpty()).isTrue();
        assertThat(s.buildEnvironment()).isEmpty();
        assertThat(s.selector().proxyFor(URI.create("https://example.com/"))).isEmpty();
        assertThat(s).hasToString("no proxy");
    }

    @Test
    void anHttpProxyServesHttpsTooAndNonProxyHostsAreTranslated() {
        ProxySettings s = ProxySettings.fromMaven(List.of(
                proxy("off", false, "http", "ignored", 1, null, null, null),
                proxy("corp", true, "http", "proxy.corp", 3128, null, null, "localhost|*.corp|10.0.0.1")));
        assertThat(s.buildEnvironment()).containsExactly(
                Map.entry("http_proxy", "http://proxy.corp:3128"),
                Map.entry("https_proxy", "http://proxy.corp:3128"),
                Map.entry("no_proxy", "localhost,.corp,10.0.0.1"));
        assertThat(s.selector().proxyFor(URI.create("https://example.com/")).orElseThrow())
                .returns("proxy.corp", ProxyAddress::host).returns(3128, ProxyAddress::port)
                .returns(Optional.empty(), ProxyAddress::credentials);
        assertThat(s.selector().proxyFor(URI.create("https://build.corp/"))).isEmpty();
    }

    @Test
    void firstActivePerProtocolWinsAndHttpsMayDiffer() {
        ProxySettings s = ProxySettings.fromMaven(List.of(
                proxy("one", true, "http", "first", 1, null, null, null),
                proxy("two", true, "http", "second", 2, null, null, null),
                proxy("sec", true, "https", "secure", 3, null, null, null)));
        assertThat(s.buildEnvironment()).containsEntry("http_proxy", "http://first:1")
                .containsEntry("https_proxy", "http://secure:3");
    }

    @Test
    void credentialsAreInTheValuesButNeverInTheMaskedForms() {
        ProxySettings s = ProxySettings.fromMaven(List.of(
                proxy("corp", true, "http", "proxy", 8080, "me@corp", "s3cr:t p", null)));
        assertThat(s.buildEnvironment()).containsEntry("http_proxy", "http://me%40corp:s3cr%3At%20p@proxy:8080");
        // what the engine's client sends to the proxy: the decrypted settings.xml values, decoded again
        ProxyAddress proxy = s.selector().proxyFor(URI.create("https://example.com/a.aci")).orElseThrow();
        assertThat(proxy.credentials()).contains(new ProxyCredentials("me@corp", "s3cr:t p"));
        assertThat(proxy.source()).isEqualTo("the <proxy> of Maven's settings.xml, as https_proxy");
        assertThat(proxy.toString()).doesNotContain("s3cr");
        assertThat(s.toString()).doesNotContain("s3cr").contains("****");
        assertThat(s.maskedEnvironment().toString()).doesNotContain("s3cr");
        assertThat(s.http().orElseThrow().toString()).doesNotContain("s3cr");
    }
}
