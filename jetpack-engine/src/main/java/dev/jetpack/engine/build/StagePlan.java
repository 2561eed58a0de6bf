package dev.jetpack.engine.build;

import dev.jetpack.engine.build.stage.StageCache;
import java.util.List;
import java.util.Objects;

/**
 * How a build runs in stages: the stages in order, the cache that keeps them and its size bound.
 *
 * @param stages   at least one
 * @param cache    the store's stage cache
 * @param maxBytes the cache's size bound, enforced after the build
 */
record StagePlan(List<BuildStage> stages, StageCache cache, long maxBytes) {
    StagePlan {
        stages = List.copyOf(stages);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("A build in stages needs at least one stage");
        }
        Objects.requireNonNull(cache, "cache");
    }
}
