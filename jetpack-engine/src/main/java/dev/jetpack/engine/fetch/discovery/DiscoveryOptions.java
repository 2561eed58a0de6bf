package dev.jetpack.engine.fetch.discovery;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * How discovery runs. By default discovery pages are fetched from {@code https://PREFIX?ac-discovery=1}; the
 * host's os and arch fill in missing labels. Whether plain HTTP is allowed is not set here but by the
 * {@link dev.jetpack.engine.fetch.http.HttpSettings} of the fetcher discovery reads with, so that downloads and
 * discovery can never disagree about it. Immutable; start from {@link #defaults()} or {@link #builder()} and
 * derive a variant with {@link #toBuilder()}.
 */
public final class DiscoveryOptions {
    /** Discovery pages above this size are refused (a page is a few meta tags). */
    public static final long MAX_PAGE_BYTES = 1024 * 1024;

    private final Function<String, URI> discoveryUri;
    private final String os;
    private final String arch;

    private DiscoveryOptions(Builder builder) {
        this.discoveryUri = builder.discoveryUri;
        this.os = builder.os;
        this.arch = builder.arch;
    }

    public static DiscoveryOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with these options, to change some of them. */
    public Builder toBuilder() {
        Builder builder = new Builder().os(os).arch(arch);
        builder.discoveryUri = discoveryUri;
        return builder;
    }

    /** The OS label used when the request has none. */
    public String os() {
        return os;
    }

    /** The arch label used when the request has none. */
    public String arch() {
        return arch;
    }

    /**
     * The discovery page URLs to try for one prefix, in order: the resolver's URL if one was set, otherwise
     * {@code https://PREFIX?ac-discovery=1}, followed by the {@code http:} form when plain HTTP is allowed.
     */
    public List<URI> discoveryUris(String prefix, boolean allowPlainHttp) {
        if (discoveryUri != null) {
            return List.of(discoveryUri.apply(prefix));
        }
        URI secure = URI.create("https://" + prefix + "?ac-discovery=1");
        return allowPlainHttp ? List.of(secure, URI.create("http://" + prefix + "?ac-discovery=1"))
                : List.of(secure);
    }

    /** Builder; every setter is optional. */
    public static final class Builder {
        private Function<String, URI> discoveryUri;
        private String os = HostPlatform.os();
        private String arch = HostPlatform.arch();

        private Builder() {
        }

        /**
         * Where the discovery page of a prefix is, instead of {@code https://PREFIX?ac-discovery=1}. Tests map
         * names onto a loopback server with it; a mirror setup could too.
         */
        public Builder discoveryUri(Function<String, URI> resolver) {
            this.discoveryUri = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        public Builder os(String value) {
            this.os = Objects.requireNonNull(value, "os");
            return this;
        }

        public Builder arch(String value) {
            this.arch = Objects.requireNonNull(value, "arch");
            return this;
        }

        public DiscoveryOptions build() {
            return new DiscoveryOptions(this);
        }
    }
}
