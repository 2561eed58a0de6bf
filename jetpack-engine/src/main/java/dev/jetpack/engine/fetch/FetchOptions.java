package dev.jetpack.engine.fetch;

import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.aci.ReaderOptions;
import dev.jetpack.engine.fetch.discovery.DiscoveryOptions;
import dev.jetpack.engine.fetch.http.HttpSettings;
import dev.jetpack.engine.fetch.trust.TrustStore;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How {@link ImageFetcher} fetches, {@link ImageImporter} imports and keys are trusted. Immutable; start from
 * {@link #defaults()} or {@link #builder()} and derive a variant with {@link #toBuilder()}.
 *
 * <p>It is composed of the settings of the layers below rather than repeating them: {@link #http()} says how
 * every download talks to servers (TLS, plain HTTP, timeouts, proxies), for images, signatures and keys alike;
 * {@link #discovery()} says where discovery looks. The defaults are the safe ones: HTTPS only, TLS certificates
 * verified, signatures required for discovered images (and verified when a path, URL or Maven artifact has one),
 * names answered from the store first ({@link FetchPolicy#PREFER_STORE}), network allowed, {@code mvn:}
 * artifacts from the user's local Maven repository.
 */
public final class FetchOptions {
    private final FetchPolicy policy;
    private final boolean offline;
    private final boolean insecureSkipSignature;
    private final boolean requireSignature;
    private final TrustStore trustStore;
    private final ProgressListener progress;
    private final ReaderOptions readerOptions;
    private final MavenResolver mavenResolver;
    private final HttpSettings http;
    private final DiscoveryOptions discovery;

    private FetchOptions(Builder b) {
        this.policy = b.policy;
        this.offline = b.offline;
        this.insecureSkipSignature = b.insecureSkipSignature;
        this.requireSignature = b.requireSignature;
        this.trustStore = b.trustStore;
        this.progress = b.progress;
        this.readerOptions = b.readerOptions;
        this.mavenResolver = b.mavenResolver;
        this.http = b.http;
        this.discovery = b.discovery;
    }

    public static FetchOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with these options, to change some of them. */
    public Builder toBuilder() {
        return new Builder().policy(policy).offline(offline).insecureSkipSignature(insecureSkipSignature)
                .requireSignature(requireSignature).trustStore(trustStore).progress(progress)
                .readerOptions(readerOptions).mavenResolver(mavenResolver).http(http).discovery(discovery);
    }

    /**
     * These options with {@code progress} and {@code trustStore} where they have none: a face's own listener
     * and the store's trust store fill in what its caller left open.
     */
    public FetchOptions completedWith(ProgressListener fallbackProgress, Supplier<TrustStore> fallbackTrustStore) {
        Builder builder = toBuilder();
        if (progress == ProgressListener.NONE) {
            builder.progress(fallbackProgress);
        }
        if (trustStore == null) {
            builder.trustStore(fallbackTrustStore.get());
        }
        return builder.build();
    }

    public FetchPolicy policy() {
        return policy;
    }

    /** Store only: nothing is downloaded; what the store does not hold is an error. */
    public boolean offline() {
        return offline;
    }

    /**
     * Discovered images are accepted without a valid signature (a warning is logged). This skips the image's
     * signature only: TLS certificates are always verified.
     */
    public boolean insecureSkipSignature() {
        return insecureSkipSignature;
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
     * How downloads of images, signatures and keys talk to servers: TLS trust, plain HTTP (also for discovery),
     * timeouts, proxies ({@link HttpSettings#defaults()}: the environment's; the Maven plugin passes settings.xml's).
     */
    public HttpSettings http() {
        return http;
    }

    /** Where discovery pages are and which os/arch fill in missing labels. */
    public DiscoveryOptions discovery() {
        return discovery;
    }

    /** Builder; every setter is optional. */
    public static final class Builder {
        private FetchPolicy policy = FetchPolicy.PREFER_STORE;
        private boolean offline;
        private boolean insecureSkipSignature;
        private boolean requireSignature;
        private TrustStore trustStore;
        private ProgressListener progress = ProgressListener.NONE;
        private ReaderOptions readerOptions = ReaderOptions.untrusted();
        private MavenResolver mavenResolver;
        private HttpSettings http = HttpSettings.defaults();
        private DiscoveryOptions discovery = DiscoveryOptions.defaults();

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

        public Builder insecureSkipSignature(boolean value) {
            this.insecureSkipSignature = value;
            return this;
        }

        public Builder requireSignature(boolean value) {
            this.requireSignature = value;
            return this;
        }

        /** Null means the store's own. */
        public Builder trustStore(TrustStore value) {
            this.trustStore = value;
            return this;
        }

        public Builder progress(ProgressListener value) {
            this.progress = Objects.requireNonNull(value, "progress");
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

        public Builder http(HttpSettings value) {
            this.http = Objects.requireNonNull(value, "http");
            return this;
        }

        public Builder discovery(DiscoveryOptions value) {
            this.discovery = Objects.requireNonNull(value, "discovery");
            return this;
        }

        public FetchOptions build() {
            return new FetchOptions(this);
        }
    }
}
