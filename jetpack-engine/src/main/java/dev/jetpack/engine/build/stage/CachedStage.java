package dev.jetpack.engine.build.stage;

import java.nio.file.Path;

/**
 * A complete stage in the {@link StageCache}: the overlay upper directory one stage left, ready to be a lower
 * layer of the next stage's container. Never modified once cached.
 *
 * @param key         what decided it
 * @param upper       the upper directory (whiteouts as 0:0 character devices, opaque directories marked by
 *                    {@code user.overlay.opaque}, as an overlay mounted with {@code userxattr} writes them)
 * @param description what the stage ran, for the log
 * @param bytes       the size of its files
 */
public record CachedStage(StageKey key, Path upper, String description, long bytes) {
}
