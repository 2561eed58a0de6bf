package dev.jetpack.engine.fetch.http;

import java.net.ProxySelector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link HttpFetcher} talks to servers. The defaults are the safe ones: HTTPS only, certificates verified
 * against the JDK's trust store, proxies from the environment, no HTTP cache.
 */
public final class HttpSettings {
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final int maxRedirects;
    private final boolean allowPlainHttp;
    private final TlsPolicy tls;
    private final ProxySelector proxySelector;
    private final Path cacheDirectory;
    private final String userAgent;

    private HttpSettings(Builder builder) {
        this.connectTimeout = builder.connectTimeout;
        this.readTimeout = builder.readTimeout;
        this.maxRedirects = builder.maxRedirects;
        this.allowPlainHttp = builder.allowPlainHttp;
        this.tls = builder.tls != null ? builder.tls : TlsPolicy.systemDefault();
        this.proxySelector = builder.proxySelector != null ? builder.proxySelector
                : EnvironmentProxySelector.fromSystem();
        this.cacheDirectory = builder.cacheDirectory;
        this.userAgent = builder.userAgent;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static HttpSettings defaults() {
        return builder().build();
    }

    /** A builder preset with these settings, to change one of them. */
    public Builder toBuilder() {
        return new Builder().connectTimeout(connectTimeout).readTimeout(readTimeout).maxRedirects(maxRedirects)
                .allowPlainHttp(allowPlainHttp).tls(tls).proxySelector(proxySelector)
                .cacheDirectory(cacheDirectory).userAgent(userAgent);
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

    /** Whether {@code http:} URLs (and redirects from https to http) are allowed at all. */
    public boolean allowPlainHttp() {
        return allowPlainHttp;
    }

    public TlsPolicy tls() {
        return tls;
    }

    public ProxySelector proxySelector() {
        return proxySelector;
    }

    /** Where ETag/Last-Modified records live; empty means no conditional requests. */
    public Optional<Path> cacheDirectory() {
        return Optional.ofNullable(cacheDirectory);
    }

    public String userAgent() {
        return userAgent;
    }

    /** Builder; every setter is optional. */
    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(30);
        private Duration readTimeout = Duration.ofSeconds(60);
        private int maxRedirects = 10;
        private boolean allowPlainHttp;
        private TlsPolicy tls;
        private ProxySelector proxySelector;
        private Path cacheDirectory;
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

        public Builder tls(TlsPolicy value) {
            this.tls = value;
            return this;
        }

        public Builder proxySelector(ProxySelector value) {
            this.proxySelector = value;
            return this;
        }

        /** Enables HTTP caching with records kept in {@code directory} (null disables it). */
        public Builder cacheDirectory(Path directory) {
            this.cacheDirectory = directory;
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
