package dev.jetpack.engine.build.stage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.io.ProcessStamp;
import dev.jetpack.engine.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache directory: complete stages only, least recently used out first, leftovers of dead builds gone. */
class StageCacheTest {
    @TempDir
    Path dir;
    RecordingLog log = new RecordingLog();

    private Path upper(String name, int bytes) throws Exception {
        Path upper = Files.createDirectories(dir.resolve("containers").resolve(name).resolve("upper"));
        Files.write(upper.resolve("data"), new byte[bytes]);
        return upper;
    }

    private static StageKey key(String step) {
        return StageKey.first("sha512-aa").value("script", step).build();
    }

    @Test
    void pruneRemovesTheLeastRecentlyUsedUntilTheRestFit() throws Exception {
        StageCache cache = StageCache.open(dir.resolve("stages"), log);
        try (StageCache.Session session = cache.begin()) {
            session.add(key("a"), "a", upper("a", 1000));
            session.add(key("b"), "b", upper("b", 1000));
            session.add(key("c"), "c", upper("c", 1000));
        }
        // a used long ago, c a while ago, b now: b is the most recent, a the least.
        Files.setLastModifiedTime(cache.directory().resolve(key("a").digest()).resolve(StageCache.USED),
                FileTime.from(Instant.now().minusSeconds(3600)));
        Files.setLastModifiedTime(cache.directory().resolve(key("c").digest()).resolve(StageCache.USED),
                FileTime.from(Instant.now().minusSeconds(60)));
        try (StageCache.Session session = cache.begin()) {
            assertThat(session.lookup(key("b"))).isPresent(); // marks b used now
        }
        assertThat(cache.list()).extracting(CachedStage::description).containsExactly("b", "c", "a");

        StageCache.PruneResult pruned = cache.prune(2500);
        assertThat(pruned.removed()).isEqualTo(1);
        assertThat(pruned.keptBytes()).isEqualTo(2000);
        assertThat(cache.list()).extracting(CachedStage::description).containsExactly("b", "c");
        assertThat(cache.prune(1000).removed()).isEqualTo(1);
        assertThat(cache.list()).extracting(CachedStage::description).containsExactly("b");
        assertThat(cache.prune(0).keptBytes()).isZero();
        assertThat(cache.list()).isEmpty();
    }

    @Test
    void pruningWaitsForNoBuildButPruneIfIdleSkipsWhileOneUsesTheCache() throws Exception {
        StageCache cache = StageCache.open(dir.resolve("stages"), log);
        try (StageCache.Session session = cache.begin()) {
            session.add(key("a"), "a", upper("a", 10));
            Optional<StageCache.PruneResult> result = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> cache.pruneIfIdle(0)).get();
            assertThat(result).as("a build holds the cache").isEmpty();
            assertThat(session.lookup(key("a"))).isPresent();
        }
        assertThat(cache.pruneIfIdle(0)).hasValueSatisfying(r -> assertThat(r.removed()).isEqualTo(1));
    }

    @Test
    void aStageOnItsWayInIsNotCompleteAndADeadBuildsLeftoverIsRemoved() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        ProcessStamp dead = ProcessStamp.of(gone.toHandle());
        Path stages = Files.createDirectories(dir.resolve("stages"));
        Path leftover = Files.createDirectories(stages.resolve(".tmp-" + dead + "-" + key("a").digest() + "-1")
                .resolve("upper"));
        Files.writeString(leftover.resolve("half"), "written");
        StageCache cache = StageCache.open(stages, log);
        assertThat(leftover.getParent()).doesNotExist();
        try (StageCache.Session session = cache.begin()) {
            assertThat(session.lookup(key("a"))).isEmpty();
            assertThat(session.explainMiss(key("a"))).isEqualTo("no stage was cached on this parent image");
            session.add(key("a"), "a", upper("a", 10));
            assertThat(session.explainMiss(key("b"))).isEqualTo("script changed since the last build");
        }
    }
}
