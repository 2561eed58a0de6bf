package dev.jetpack.engine.oci.registry;

import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.fetch.http.HttpSettings;
import java.util.Objects;

/**
 * How the registry client talks to registries, for pulls and pushes alike. Immutable; {@link #defaults()} are the
 * safe ones: HTTPS with verified certificates ({@link HttpSettings#defaults()}; plain HTTP only with
 * {@link HttpSettings#allowPlainHttp()}), credentials from the user's files ({@link CredentialStore#fromSystem()}).
 */
public final class RegistryOptions {
    private final HttpSettings http;
    private final CredentialStore credentials;
    private final ProgressListener progress;

    private RegistryOptions(Builder builder) {
        this.http = builder.http;
        this.credentials = builder.credentials;
        this.progress = builder.progress;
    }

    public static RegistryOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().http(http).credentials(credentials).progress(progress);
    }

    /** TLS trust, plain HTTP, timeouts and proxies. */
    public HttpSettings http() {
        return http;
    }

    /** Where credentials are read from; {@link CredentialStore#fromSystem()} when none was given. */
    public CredentialStore credentials() {
        return credentials != null ? credentials : CredentialStore.fromSystem();
    }

    /** Progress of blob transfers. */
    public ProgressListener progress() {
        return progress;
    }

    /** Builder; every setter is optional. */
    public static final class Builder {
        private HttpSettings http = HttpSettings.defaults();
        private CredentialStore credentials;
        private ProgressListener progress = ProgressListener.NONE;

        private Builder() {
        }

        public Builder http(HttpSettings value) {
            this.http = Objects.requireNonNull(value, "http");
            return this;
        }

        /** Null means the user's files ({@link CredentialStore#fromSystem()}), read when needed. */
        public Builder credentials(CredentialStore value) {
            this.credentials = value;
            return this;
        }

        public Builder progress(ProgressListener value) {
            this.progress = Objects.requireNonNull(value, "progress");
            return this;
        }

        public RegistryOptions build() {
            return new RegistryOptions(this);
        }
    }
}
