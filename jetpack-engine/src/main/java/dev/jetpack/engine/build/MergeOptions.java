package dev.jetpack.engine.build;

import java.time.Instant;
import java.util.Objects;

/**
 * How {@link ManifestMerger#merge} completes a build's manifest.
 *
 * @param timestamp the build time for the {@code timestamp} annotation: now, or the fixed time of a reproducible
 *                  build (Maven's {@code project.build.outputTimestamp})
 * @param layered   true for a layered image (the parent becomes the first dependency), false for a flat one
 *                  (no dependencies, no pathWhitelist)
 */
public record MergeOptions(Instant timestamp, boolean layered) {
    public MergeOptions {
        Objects.requireNonNull(timestamp, "timestamp");
    }

    public static MergeOptions layered(Instant timestamp) {
        return new MergeOptions(timestamp, true);
    }

    public static MergeOptions flat(Instant timestamp) {
        return new MergeOptions(timestamp, false);
    }
}
