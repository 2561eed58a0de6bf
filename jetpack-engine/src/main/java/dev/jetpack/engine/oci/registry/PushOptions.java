package dev.jetpack.engine.oci.registry;

import java.util.List;
import java.util.Objects;

/**
 * How {@link ImagePusher} pushes. Immutable; {@link #defaults()}: the registry defaults
 * ({@link RegistryOptions#defaults()}), blobs up to 32 MiB in one request and larger ones in 8 MiB chunks,
 * three attempts per blob, no mount sources.
 */
public final class PushOptions {
    private final RegistryOptions registry;
    private final long monolithicLimit;
    private final int chunkSize;
    private final int attempts;
    private final List<String> mountFrom;

    private PushOptions(Builder builder) {
        this.registry = builder.registry;
        this.monolithicLimit = builder.monolithicLimit;
        this.chunkSize = builder.chunkSize;
        this.attempts = builder.attempts;
        this.mountFrom = List.copyOf(builder.mountFrom);
    }

    public static PushOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().registry(registry).monolithicLimit(monolithicLimit).chunkSize(chunkSize)
                .attempts(attempts).mountFrom(mountFrom);
    }

    /** TLS, plain HTTP, proxies, credentials and progress. */
    public RegistryOptions registry() {
        return registry;
    }

    /** Blobs up to this size go in one PUT; larger ones in PATCH chunks of {@link #chunkSize()}. */
    public long monolithicLimit() {
        return monolithicLimit;
    }

    public int chunkSize() {
        return chunkSize;
    }

    /**
     * How often a blob upload is tried when it fails in a way that may pass (a cut connection, a server error);
     * a failed attempt's upload session is cancelled first, so nothing partial stays in the registry.
     */
    public int attempts() {
        return attempts;
    }

    /**
     * Repositories of the same registry to mount blobs from (e.g. the parent image's), instead of uploading
     * what the registry already has there.
     */
    public List<String> mountFrom() {
        return mountFrom;
    }

    /** Builder; every setter is optional. */
    public static final class Builder {
        private RegistryOptions registry = RegistryOptions.defaults();
        private long monolithicLimit = 32L << 20;
        private int chunkSize = 8 << 20;
        private int attempts = 3;
        private List<String> mountFrom = List.of();

        private Builder() {
        }

        public Builder registry(RegistryOptions value) {
            this.registry = Objects.requireNonNull(value, "registry");
            return this;
        }

        public Builder monolithicLimit(long value) {
            if (value < 0) {
                throw new IllegalArgumentException("monolithicLimit must be >= 0, got " + value);
            }
            this.monolithicLimit = value;
            return this;
        }

        public Builder chunkSize(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("chunkSize must be positive, got " + value);
            }
            this.chunkSize = value;
            return this;
        }

        public Builder attempts(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("attempts must be at least 1, got " + value);
            }
            this.attempts = value;
            return this;
        }

        public Builder mountFrom(List<String> repositories) {
            this.mountFrom = List.copyOf(repositories);
            return this;
        }

        public PushOptions build() {
            return new PushOptions(this);
        }
    }
}
