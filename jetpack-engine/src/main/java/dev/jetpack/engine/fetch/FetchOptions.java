package dev.jetpack.engine.fetch;

import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.aci.ReaderOptions;
import dev.jetpack.engine.fetch.trust.TrustStore;
import java.net.ProxySelector;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * How {@link ImageFetcher} fetches. The defaults are the safe ones: HTTPS only, TLS certificates verified,
 * signatures required for discovered images (and verified when a path, URL or Maven artifact has one), names
 * answered from the store first ({@link FetchPolicy#PREFER_STORE}), network allowed, {@code mvn:} artifacts from
 * the user's local Maven repository.
 */
public final class FetchOptions {
    private final FetchPolicy policy;
    private final boolean offline;
    private final boolean allowHttp;
    private final boolean insecureSkipVerify;
    private final boolean requireSignature;
    private final TrustStore trustStore;
    private final ProgressListener progress;
    private final SSLContext sslContext;
    private final Function<String, URI> discoveryUri;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final ReaderOptions readerOptions;
    private final MavenResolver mavenResolver;
    private final ProxySelector proxySelector;

    private FetchOptions(Builder b) {
        this.policy = b.policy;
        this.offline = b.offline;
        this.allowHttp = b.allowHttp;
        this.insecureSkipVerify = b.insecureSkipVerify;
        this.requireSignature = b.requireSignature;
        this.trustStore = b.trustStore;
        this.progress = b.progress;
        this.sslContext = b.sslContext;
        this.discoveryUri = b.discoveryUri;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.readerOptions = b.readerOptions;
        this.mavenResolver = b.mavenResolver;
        this.proxySelector = b.proxySelector;
    }

    public static FetchOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.policy = policy;
        b.offline = offline;
        b.allowHttp = allowHttp;
        b.insecureSkipVerify = insecureSkipVerify;
        b.requireSignature = requireSignature;
        b.trustStore = trustStore;
        b.progress = progress;
        b.sslContext = sslContext;
        b.discoveryUri = discoveryUri;
        b.connectTimeout = connectTimeout;
        b.readTimeout = readTimeout;
        b.readerOptions = readerOptions;
        b.mavenResolver = mavenResolver;
        b.proxySelector = proxySelector;
        return b;
    }

    public FetchPolicy policy() {
        return policy;
    }

    /** Store only: nothing is downloaded; what the store does not hold is an error. */
    public boolean offline() {
        return offline;
    }

    /** Plain-HTTP URLs, discovery pages and endpoints are allowed (a warning is logged each time). */
    public boolean allowHttp() {
        return allowHttp;
    }

    /** Discovered images are accepted without a valid signature (a warning is logged). */
    public boolean insecureSkipVerify() {
        return insecureSkipVerify;
    }

    /**
     * Paths, URLs and Maven artifacts need a valid signature next to them ({@code .asc}) too; discovered images
     * always do.
     */
    public boolean requireSignature() {
        return requireSignature;
    }

    /** The keys signatures are checked against; empty means the store's own ({@code STORE/trustedkeys}). */
    public Optional<TrustStore> trustStore() {
        return Optional.ofNullable(trustStore);
    }

    public ProgressListener progress() {
        return progress;
    }

    /** TLS trust for downloads; empty means the JDK's default trust store. */
    public Optional<SSLContext> sslContext() {
        return Optional.ofNullable(sslContext);
    }

    /** Where the discovery page of a name prefix is, instead of {@code https://PREFIX?ac-discovery=1}. */
    public Optional<Function<String, URI>> discoveryUri() {
        return Optional.ofNullable(discoveryUri);
    }

    public Optional<Duration> connectTimeout() {
        return Optional.ofNullable(connectTimeout);
    }

    public Optional<Duration> readTimeout() {
        return Optional.ofNullable(readTimeout);
    }

    /**
     * Limits and permissions for unpacking fetched images; {@link ReaderOptions#untrusted()} by default (only
     * the standard harmless character devices, bomb limits on).
     */
    public ReaderOptions readerOptions() {
        return readerOptions;
    }

    /**
     * Resolves {@code mvn:} sources: the one given (the Maven plugin passes Maven's own), else the user's local
     * repository ({@link LocalRepositoryMavenResolver#userDefault()}, read when this is called).
     */
    public MavenResolver mavenResolver() {
        return mavenResolver != null ? mavenResolver : LocalRepositoryMavenResolver.userDefault();
    }

    /**
     * The proxies for downloads; empty means the environment's ({@code https_proxy}, {@code http_proxy},
     * {@code no_proxy}) and Java's proxy properties. The Maven plugin passes the proxies of settings.xml.
     */
    public Optional<ProxySelector> proxySelector() {
        return Optional.ofNullable(proxySelector);
    }

    /** Builder; every setter is optional. */
    public static final class Builder {
        private FetchPolicy policy = FetchPolicy.PREFER_STORE;
        private boolean offline;
        private boolean allowHttp;
        private boolean insecureSkipVerify;
        private boolean requireSignature;
        private TrustStore trustStore;
        private ProgressListener progress = ProgressListener.NONE;
        private SSLContext sslContext;
        private Function<String, URI> discoveryUri;
        private Duration connectTimeout;
        private Duration readTimeout;
        private ReaderOptions readerOptions = ReaderOptions.untrusted();
        private MavenResolver mavenResolver;
        private ProxySelector proxySelector;

        private Builder() {
        }

        public Builder policy(FetchPolicy value) {
            this.policy = Objects.requireNonNull(value, "policy");
            return this;
        }

        public Builder offline(boolean value) {
            this.offline = value;
            return this;
        }

        public Builder allowHttp(boolean value) {
            this.allowHttp = value;
            return this;
        }

        public Builder insecureSkipVerify(boolean value) {
            this.insecureSkipVerify = value;
            return this;
        }

        public Builder requireSignature(boolean value) {
            this.requireSignature = value;
            return this;
        }

        public Builder trustStore(TrustStore value) {
            this.trustStore = value;
            return this;
        }

        public Builder progress(ProgressListener value) {
            this.progress = Objects.requireNonNull(value, "progress");
            return this;
        }

        /** Trust for TLS (tests pass the loopback server's self-signed certificate this way). */
        public Builder sslContext(SSLContext value) {
            this.sslContext = value;
            return this;
        }

        /** Maps a name prefix to its discovery page (tests map names onto a loopback server). */
        public Builder discoveryUri(Function<String, URI> value) {
            this.discoveryUri = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = value;
            return this;
        }

        public Builder readTimeout(Duration value) {
            this.readTimeout = value;
            return this;
        }

        public Builder readerOptions(ReaderOptions value) {
            this.readerOptions = Objects.requireNonNull(value, "readerOptions");
            return this;
        }

        /** Where {@code mvn:} artifacts come from; null means the user's local repository. */
        public Builder mavenResolver(MavenResolver value) {
            this.mavenResolver = value;
            return this;
        }

        /** The proxies for downloads; null means the environment's. */
        public Builder proxySelector(ProxySelector value) {
            this.proxySelector = value;
            return this;
        }

        public FetchOptions build() {
            return new FetchOptions(this);
        }
    }
}
