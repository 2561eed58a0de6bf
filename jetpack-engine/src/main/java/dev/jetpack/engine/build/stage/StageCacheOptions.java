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

    private static final java.util.regex.Pattern SIZE = java.util.regex.Pattern.compile(
            "(\\d+)\\s*([kmgt]?)(i?b)?", java.util.regex.Pattern.CASE_INSENSITIVE);

    /**
     * A size bound as users write it: bytes, or a number with {@code K}, {@code M}, {@code G} or {@code T}
     * (powers of 1024; {@code KiB}, {@code GB} and the like read the same), e.g. {@code 10G}.
     *
     * @param what the setting's name, for the message
     * @throws dev.jetpack.engine.JetpackException when the text is not such a size
     */
    public static long parseSize(String text, String what) {
        java.util.regex.Matcher matcher = SIZE.matcher(text == null ? "" : text.strip());
        if (!matcher.matches()) {
            throw new dev.jetpack.engine.JetpackException("Invalid " + what + " '" + text + "': a size is a whole"
                    + " number of bytes, optionally followed by K, M, G or T (powers of 1024), e.g. 10G or 500M");
        }
        int shift = switch (matcher.group(2).toUpperCase(java.util.Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        try {
            long number = Long.parseLong(matcher.group(1));
            if (number > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException("too large");
            }
            return number << shift;
        } catch (NumberFormatException e) {
            throw new dev.jetpack.engine.JetpackException("Invalid " + what + " '" + text + "': too large; give"
                    + " at most a few terabytes, e.g. 100G");
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
