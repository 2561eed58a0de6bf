package dev.jetpack.engine.build.stage;

/**
 * Whether a build keeps and reuses its stages ({@link StageCache}) and how large the cache may grow.
 *
 * @param enabled  reuse cached stages and keep new ones; off: the build script runs as one command, as before
 * @param maxBytes the cache's size bound: after a build the least recently used stages go until the rest fit
 */
public record StageCacheOptions(boolean enabled, long maxBytes) {
    /** 10 GiB: room for a few dozen package installs of a Debian-sized image. */
    public static final long DEFAULT_MAX_BYTES = 10L << 30;

    public StageCacheOptions {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("The stage cache's size bound is " + maxBytes + " bytes; give 0 or"
                    + " more (0 keeps nothing after a build)");
        }
    }

    /** On, with the default size bound. */
    public static StageCacheOptions defaults() {
        return builder().build();
    }

    /** Off: every build runs all its steps. */
    public static StageCacheOptions disabled() {
        return builder().enabled(false).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().enabled(enabled).maxBytes(maxBytes);
    }

    public static final class Builder {
        private boolean enabled = true;
        private long maxBytes = DEFAULT_MAX_BYTES;

        private Builder() {
        }

        public Builder enabled(boolean on) {
            this.enabled = on;
            return this;
        }

        public Builder maxBytes(long bytes) {
            this.maxBytes = bytes;
            return this;
        }

        public StageCacheOptions build() {
            return new StageCacheOptions(enabled, maxBytes);
        }
    }
}
