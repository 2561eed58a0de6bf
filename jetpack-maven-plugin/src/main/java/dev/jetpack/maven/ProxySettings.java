package dev.jetpack.maven;

import dev.jetpack.engine.fetch.http.EnvironmentProxySelector;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The proxies of the user's settings.xml, in the two forms jetpack needs them: environment variables for the
 * build command ({@code http_proxy}, {@code https_proxy}, {@code no_proxy}, as apt, curl and wget read them),
 * and the engine's proxy selector for every download ({@link #selector()}), which sends a proxy its credentials.
 *
 * <p>Like Maven, the first active proxy per protocol is used; a settings file with only an {@code http} proxy
 * (the usual case) gets it for https too, since it is spoken to in plain HTTP either way (CONNECT).
 *
 * <p>Passwords are part of the values handed to the build, never of anything logged: {@link #toString()} and
 * {@link #maskedEnvironment()} show {@code ****} in their place.
 */
public final class ProxySettings {
    /** One proxy, with its credentials already decrypted. */
    public record Proxy(String protocol, String host, int port, String username, String password,
            List<String> nonProxyHosts) {
        public Proxy {
            Objects.requireNonNull(host, "host");
            protocol = protocol == null || protocol.isBlank() ? "http" : protocol.toLowerCase(Locale.ROOT);
            nonProxyHosts = List.copyOf(nonProxyHosts);
        }

        boolean hasCredentials() {
            return username != null && !username.isEmpty();
        }

        /** {@code http://user:password@host:port}, credentials URL-encoded, or masked. */
        String url(boolean masked) {
            StringBuilder url = new StringBuilder("http://");
            if (hasCredentials()) {
                url.append(encode(username));
                if (password != null && !password.isEmpty()) {
                    url.append(':').append(masked ? "****" : encode(password));
                }
                url.append('@');
            }
            return url.append(host).append(':').append(port).toString();
        }

        @Override
        public String toString() {
            return protocol + " proxy " + url(true);
        }
    }

    /** No proxies at all. */
    public static final ProxySettings NONE = new ProxySettings(null, null);

    private final Proxy http;
    private final Proxy https;

    private ProxySettings(Proxy http, Proxy https) {
        this.http = http;
        this.https = https;
    }

    /**
     * @param proxies the settings' proxies (already decrypted), in settings order; inactive ones are ignored
     */
    public static ProxySettings fromMaven(List<org.apache.maven.settings.Proxy> proxies) {
        List<Proxy> active = new ArrayList<>();
        for (org.apache.maven.settings.Proxy p : proxies == null ? List.<org.apache.maven.settings.Proxy>of()
                : proxies) {
            if (p.isActive() && p.getHost() != null && !p.getHost().isBlank()) {
                active.add(new Proxy(p.getProtocol(), p.getHost().trim(), p.getPort(), p.getUsername(),
                        p.getPassword(), splitNonProxyHosts(p.getNonProxyHosts())));
            }
        }
        return of(active);
    }

    /** Picks the first active proxy per protocol from plain proxies, in order. */
    public static ProxySettings of(List<Proxy> activeProxies) {
        Proxy http = null;
        Proxy https = null;
        for (Proxy p : activeProxies) {
            if (p.protocol().equals("http") && http == null) {
                http = p;
            } else if (p.protocol().equals("https") && https == null) {
                https = p;
            }
        }
        return new ProxySettings(http, https != null ? https : http);
    }

    /** Maven writes non-proxy hosts as {@code a|b|*.c}; some users write commas. */
    static List<String> splitNonProxyHosts(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split("[|,]")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public boolean isEmpty() {
        return http == null && https == null;
    }

    public Optional<Proxy> http() {
        return Optional.ofNullable(http);
    }

    public Optional<Proxy> https() {
        return Optional.ofNullable(https);
    }

    /**
     * The variables to set in the build command's environment: {@code http_proxy}, {@code https_proxy} and
     * {@code no_proxy} (comma-separated, {@code *.example.com} written {@code .example.com} as curl and wget
     * expect). Values carry the real credentials: never log them, log {@link #maskedEnvironment()}.
     */
    public Map<String, String> buildEnvironment() {
        return environment(false);
    }

    /**
     * The engine's proxy selector for these proxies, credentials included (every download of the goal goes through
     * it: images, discovery, keys, signatures, registries); messages name settings.xml as where a proxy came from.
     */
    public EnvironmentProxySelector selector() {
        return EnvironmentProxySelector.from(buildEnvironment(), new Properties(),
                variable -> "the <proxy> of Maven's settings.xml, as " + variable);
    }

    /** {@link #buildEnvironment()} with passwords replaced by {@code ****}, for logs. */
    public Map<String, String> maskedEnvironment() {
        return environment(true);
    }

    private Map<String, String> environment(boolean masked) {
        Map<String, String> env = new LinkedHashMap<>();
        if (http != null) {
            env.put("http_proxy", http.url(masked));
        }
        if (https != null) {
            env.put("https_proxy", https.url(masked));
        }
        List<String> noProxy = nonProxyHosts().stream()
                .map(h -> h.startsWith("*.") ? h.substring(1) : h)
                .toList();
        if (!noProxy.isEmpty()) {
            env.put("no_proxy", String.join(",", noProxy));
        }
        return Collections.unmodifiableMap(env);
    }

    private List<String> nonProxyHosts() {
        List<String> hosts = new ArrayList<>();
        for (Proxy p : new Proxy[] {http, https}) {
            if (p != null) {
                p.nonProxyHosts().stream().filter(h -> !hosts.contains(h)).forEach(hosts::add);
            }
        }
        return hosts;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Masked: safe to log. */
    @Override
    public String toString() {
        if (isEmpty()) {
            return "no proxy";
        }
        return maskedEnvironment().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
