package dev.jetpack.engine.fetch.http;

import dev.jetpack.engine.fetch.http.EnvironmentProxySelector.ProxyAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link HttpFetcher} talks to servers. The defaults are the safe ones: HTTPS only, certificates verified
 * against the JDK's trust store, proxies from the environment. Conditional requests are the caller's
 * choice ({@link HttpFetcher#open(java.net.URI, java.util.Optional, String, dev.jetpack.engine.ProgressListener)}).
 */
public final class HttpSettings {
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final int maxRedirects;
    private final boolean allowPlainHttp;
    /** Null: the JDK's default trust store, looked up when a fetcher is made (not for local-only work). */
    private final TlsPolicy tls;
    /** Null: the environment's proxies, read when a fetcher is made, so a bad variable fails only downloads. */
    private final ProxySelector proxySelector;
    private final String userAgent;

    private HttpSettings(Builder builder) {
        this.connectTimeout = builder.connectTimeout;
        this.readTimeout = builder.readTimeout;
        this.maxRedirects = builder.maxRedirects;
        this.allowPlainHttp = builder.allowPlainHttp;
        this.tls = builder.tls;
        this.proxySelector = builder.proxySelector;
        this.userAgent = builder.userAgent;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static HttpSettings defaults() {
        return builder().build();
    }

    /** A builder preset with these settings, to change some of them. */
    public Builder toBuilder() {
        return new Builder().connectTimeout(connectTimeout).readTimeout(readTimeout).maxRedirects(maxRedirects)
                .allowPlainHttp(allowPlainHttp).tls(tls).proxySelector(proxySelector).userAgent(userAgent);
    }

    /** Longest wait for a TCP (and TLS) connection. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Longest wait for the response headers, and for each further piece of the body (a stall). */
    public Duration readTimeout() {
        return readTimeout;
    }

    public int maxRedirects() {
        return maxRedirects;
    }

    /**
     * Whether {@code http:} URLs (and redirects from https to http) are allowed at all: downloads, discovery
     * pages and discovered endpoints alike (insecure; a warning is logged).
     */
    public boolean allowPlainHttp() {
        return allowPlainHttp;
    }

    /** The certificates HTTPS trusts: the given policy, else {@link TlsPolicy#systemDefault()}. */
    public TlsPolicy tls() {
        return tls != null ? tls : TlsPolicy.systemDefault();
    }

    /**
     * The proxies for every download: the given selector, else the environment's ({@code https_proxy},
     * {@code http_proxy}, {@code no_proxy}) and Java's proxy properties ({@link EnvironmentProxySelector}).
     */
    public ProxySelector proxySelector() {
        return proxySelector != null ? proxySelector : EnvironmentProxySelector.fromSystem();
    }

    public String userAgent() {
        return userAgent;
    }

    /**
     * The proxy that requests to {@code uri} go through, as configured, with its credentials: empty when
     * {@code uri} is reached directly, or when the selector is not an {@link EnvironmentProxySelector} (which alone
     * knows credentials).
     */
    public Optional<ProxyAddress> proxyFor(URI uri) {
        return proxySelector() instanceof EnvironmentProxySelector selector ? selector.proxyFor(uri)
                : Optional.empty();
    }

    /**
     * A request to {@code uri} with what every request carries: the User-Agent, and the proxy's credentials when
     * the proxy for {@code uri} has some ({@link ProxyAuthentication}). Callers add the method, timeout and their
     * own headers.
     */
    public HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("User-Agent", userAgent);
        proxyFor(uri).flatMap(ProxyAddress::credentials)
                .ifPresent(credentials -> request.header("Proxy-Authorization", credentials.basicAuthorization()));
        return request;
    }

    /**
     * A JDK client with these settings: HTTP/1.1, the connect timeout, the proxies and the TLS trust; redirects
     * are never followed by the client, so that each caller checks every hop (https never becomes http).
     */
    public HttpClient newClient() {
        ProxySelector proxies = proxySelector();
        if (proxies instanceof EnvironmentProxySelector selector
                && selector.httpsProxy().flatMap(ProxyAddress::credentials).isPresent()) {
            ProxyAuthentication.allowBasicForTunnels();
        }
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(proxies)
                .sslContext(tls().sslContext())
                .build();
    }

    /** Builder; every setter is optional. */
    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(30);
        private Duration readTimeout = Duration.ofSeconds(60);
        private int maxRedirects = 10;
        private boolean allowPlainHttp;
        private TlsPolicy tls;
        private ProxySelector proxySelector;
        private String userAgent = "jetpack/0.1";

        private Builder() {
        }

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = positive(value, "connectTimeout");
            return this;
        }

        public Builder readTimeout(Duration value) {
            this.readTimeout = positive(value, "readTimeout");
            return this;
        }

        public Builder maxRedirects(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("maxRedirects must be >= 0, got " + value);
            }
            this.maxRedirects = value;
            return this;
        }

        public Builder allowPlainHttp(boolean value) {
            this.allowPlainHttp = value;
            return this;
        }

        /** Null means the JDK's default trust store. */
        public Builder tls(TlsPolicy value) {
            this.tls = value;
            return this;
        }

        /** Null means the environment's proxies. */
        public Builder proxySelector(ProxySelector value) {
            this.proxySelector = value;
            return this;
        }

        public Builder userAgent(String value) {
            this.userAgent = Objects.requireNonNull(value, "userAgent");
            return this;
        }

        public HttpSettings build() {
            return new HttpSettings(this);
        }

        private static Duration positive(Duration value, String what) {
            if (value == null || value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(what + " must be a positive duration, got " + value);
            }
            return value;
        }
    }
}
