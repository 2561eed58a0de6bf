package dev.jetpack.engine.build.stage;

import dev.jetpack.engine.io.JsonTrees;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.build.BuildFingerprint;
import dev.jetpack.engine.io.AtomicFiles;
import dev.jetpack.engine.io.FileTrees;
import dev.jetpack.engine.io.InterProcessLock;
import dev.jetpack.engine.io.ProcessStamp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The stage cache: each stage a build ran, kept as the overlay upper directory it left, by its {@link StageKey}.
 *
 * <h2>Layout</h2>
 * <pre>
 * DIR/
 *   stages.lock         shared by every build while it looks up, stacks and adds stages; exclusive for pruning,
 *                       so that no stage disappears below a mounted container
 *   KEY/                one complete stage; appears by one atomic rename and is never modified
 *     upper/            the upper directory
 *     stage.json        the previous key, what ran, the size
 *     inputs            the key's inputs as hashes ({@link BuildFingerprint#write})
 *     used              its modification time is the last use (least recently used go first)
 *   .tmp-STAMP-KEY/     a stage on its way in, owned by the process STAMP names
 *   .gone-STAMP-KEY/    a stage on its way out
 * </pre>
 * A stage is complete exactly when {@code KEY/} exists: a build killed while adding one leaves only a
 * {@code .tmp-} directory, which {@link #open} deletes once its process is gone. Two builds that make the same
 * stage at once both finish; the first rename wins and the second build uses the winner's copy.
 */
public final class StageCache {
    /** The store's directory for the cache. */
    public static final String DIRECTORY = "stages";

    static final String UPPER = "upper";
    static final String RECORD = "stage.json";
    static final String INPUTS = "inputs";
    static final String USED = "used";
    private static final String TEMPORARY = ".tmp-";
    private static final String GOING = ".gone-";
    private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");

    private final Path directory;
    private final InterProcessLock lock;
    private final EngineLog log;

    private StageCache(Path directory, EngineLog log) {
        this.directory = directory;
        this.lock = InterProcessLock.forFile(directory.resolve("stages.lock"));
        this.log = log;
    }

    /** Opens (creating if needed) the cache in {@code directory} and removes what dead processes left there. */
    public static StageCache open(Path directory, EngineLog log) {
        StageCache cache = new StageCache(directory.toAbsolutePath().normalize(), log);
        try {
            Files.createDirectories(cache.directory);
            cache.removeLeftovers();
        } catch (IOException e) {
            throw new StageCacheException("Cannot open the stage cache " + directory + ": " + e.getMessage()
                    + ". Check its permissions and free space, or build without the stage cache.", e);
        }
        return cache;
    }

    /** The cache of the store {@code store}, in its {@value #DIRECTORY} directory. */
    public static StageCache inStore(dev.jetpack.engine.store.ImageStore store, EngineLog log) {
        return open(store.root().resolve(DIRECTORY), log);
    }

    public Path directory() {
        return directory;
    }

    /**
     * Starts using the cache: until the session is closed no stage is pruned, so its upper directories may be
     * mounted as lower layers.
     */
    public Session begin() {
        try {
            return new Session(lock.lockShared());
        } catch (IOException e) {
            throw new StageCacheException("Cannot lock the stage cache " + directory + ": " + e.getMessage(), e);
        }
    }

    /** What a build does with the cache while it holds it. */
    public final class Session implements AutoCloseable {
        private final InterProcessLock.Held held;

        private Session(InterProcessLock.Held held) {
            this.held = held;
        }

        /** The complete stage with {@code key}, marked as just used; empty when none is cached. */
        public Optional<CachedStage> lookup(StageKey key) {
            Path stage = directory.resolve(key.digest());
            if (!Files.isDirectory(stage.resolve(UPPER), LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            try {
                JsonNode record = JsonTrees.read(stage.resolve(RECORD));
                markUsed(stage);
                return Optional.of(new CachedStage(key, stage.resolve(UPPER), record.path("description").asText(),
                        record.path("bytes").asLong()));
            } catch (IOException e) {
                log.warn("Ignoring the cached stage " + stage + ": " + e.getMessage());
                return Optional.empty();
            }
        }

        /**
         * Why no stage with {@code key} is cached, for the log: the inputs that changed against the stage most
         * recently built after the same previous stage, or that none was.
         */
        public String explainMiss(StageKey key) {
            Optional<StageKey> last = lastSibling(key);
            if (last.isEmpty()) {
                return key.isFirst() ? "no stage was cached on this parent image"
                        : "no stage was cached after the previous one";
            }
            List<String> differences = key.differences(last.get());
            return differences.isEmpty() ? "it was pruned from the cache"
                    : String.join(", ", differences) + " changed since the last build";
        }

        /**
         * Moves {@code upper} (an unmounted overlay upper directory, on the cache's file system) into the cache
         * as the stage {@code key}, completely or not at all.
         *
         * @return the cached stage: this one, or an equal one another build put there first
         */
        public CachedStage add(StageKey key, String description, Path upper) {
            Path target = directory.resolve(key.digest());
            Path temporary = directory.resolve(TEMPORARY + ProcessStamp.current() + "-" + key.digest() + "-"
                    + Thread.currentThread().getId());
            try {
                long bytes = sizeOf(upper);
                Files.createDirectory(temporary);
                Files.move(upper, temporary.resolve(UPPER), StandardCopyOption.ATOMIC_MOVE);
                ObjectNode record = JsonTrees.object();
                record.put("previous", key.previous());
                record.put("description", description);
                record.put("bytes", bytes);
                record.put("created", Instant.now().toString());
                key.inputs().write(temporary.resolve(INPUTS));
                AtomicFiles.write(temporary.resolve(RECORD), JsonTrees.writePretty(record));
                Files.createFile(temporary.resolve(USED));
                try {
                    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileSystemException e) {
                    // rename(2) onto a non-empty directory fails (ENOTEMPTY or EEXIST): another build won.
                    if (!Files.isDirectory(target.resolve(UPPER), LinkOption.NOFOLLOW_LINKS)) {
                        throw e;
                    }
                    log.debug("Stage " + key.digest() + " was cached by another build meanwhile; using that one");
                    FileTrees.deleteRecursively(temporary);
                }
                return lookup(key).orElseThrow(() -> new IOException("the stage vanished right after caching"));
            } catch (IOException e) {
                deleteQuietly(temporary);
                throw new StageCacheException("Cannot keep stage " + description + " in the stage cache "
                        + directory + ": " + e.getMessage() + ". Check free space there, or build without the"
                        + " stage cache.", e);
            }
        }

        @Override
        public void close() {
            try {
                held.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** What a prune did. */
    public record PruneResult(int removed, long removedBytes, int kept, long keptBytes) {
    }

    /**
     * Removes the least recently used stages until the rest take at most {@code maxBytes}; waits until no build
     * uses the cache.
     */
    public PruneResult prune(long maxBytes) {
        try (InterProcessLock.Held exclusive = lock.lockExclusive()) {
            return pruneLocked(maxBytes);
        } catch (IOException e) {
            throw new StageCacheException("Cannot prune the stage cache " + directory + ": " + e.getMessage(), e);
        }
    }

    /** {@link #prune} now if no build uses the cache; empty (nothing done) when one does. */
    public Optional<PruneResult> pruneIfIdle(long maxBytes) {
        try {
            Optional<InterProcessLock.Held> exclusive = lock.tryLockExclusive();
            if (exclusive.isEmpty()) {
                return Optional.empty();
            }
            try (InterProcessLock.Held held = exclusive.get()) {
                return Optional.of(pruneLocked(maxBytes));
            }
        } catch (IOException e) {
            throw new StageCacheException("Cannot prune the stage cache " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The complete stages, most recently used first. */
    public List<CachedStage> list() {
        List<CachedStage> stages = new ArrayList<>();
        for (Path stage : completeStages()) {
            try {
                JsonNode record = JsonTrees.read(stage.resolve(RECORD));
                BuildFingerprint inputs = BuildFingerprint.read(stage.resolve(INPUTS))
                        .orElseGet(() -> BuildFingerprint.builder().build());
                stages.add(new CachedStage(new StageKey(stage.getFileName().toString(),
                        record.path("previous").asText(), inputs), stage.resolve(UPPER),
                        record.path("description").asText(), record.path("bytes").asLong()));
            } catch (IOException e) {
                log.warn("Ignoring the cached stage " + stage + ": " + e.getMessage());
            }
        }
        stages.sort(Comparator.comparing((CachedStage s) -> lastUse(s.upper().getParent())).reversed());
        return stages;
    }

    private PruneResult pruneLocked(long maxBytes) throws IOException {
        List<CachedStage> stages = list();
        long total = stages.stream().mapToLong(CachedStage::bytes).sum();
        int removed = 0;
        long removedBytes = 0;
        for (int i = stages.size() - 1; i >= 0 && total > maxBytes; i--) {
            CachedStage oldest = stages.get(i);
            remove(oldest.upper().getParent());
            total -= oldest.bytes();
            removed++;
            removedBytes += oldest.bytes();
            log.info("Pruned stage " + oldest.key().digest().substring(0, 12) + " (" + oldest.description()
                    + ", " + oldest.bytes() + " bytes)");
        }
        return new PruneResult(removed, removedBytes, stages.size() - removed, total);
    }

    /* Out of sight first (one rename), then deleted: a half-deleted stage must never look complete. */
    private void remove(Path stage) throws IOException {
        Path going = directory.resolve(GOING + ProcessStamp.current() + "-" + stage.getFileName());
        Files.move(stage, going, StandardCopyOption.ATOMIC_MOVE);
        FileTrees.deleteRecursively(going);
    }

    private Optional<StageKey> lastSibling(StageKey key) {
        return list().stream().map(CachedStage::key).filter(k -> k.previous().equals(key.previous()))
                .findFirst();
    }

    private List<Path> completeStages() {
        List<Path> stages = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory,
                entry -> KEY.matcher(entry.getFileName().toString()).matches())) {
            entries.forEach(stages::add);
        } catch (IOException e) {
            throw new StageCacheException("Cannot list the stage cache " + directory + ": " + e.getMessage(), e);
        }
        return stages;
    }

    private void removeLeftovers() throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, entry -> {
            String name = entry.getFileName().toString();
            return name.startsWith(TEMPORARY) || name.startsWith(GOING);
        })) {
            for (Path entry : entries) {
                Optional<ProcessStamp> owner = ProcessStamp.find(entry.getFileName().toString());
                if (owner.isEmpty() || !owner.get().isAlive()) {
                    FileTrees.deleteRecursively(entry);
                    log.info("Removed the unfinished stage " + entry + " (its build process is gone)");
                }
            }
        }
    }

    private static void markUsed(Path stage) throws IOException {
        Files.setLastModifiedTime(stage.resolve(USED), FileTime.from(Instant.now()));
    }

    private static FileTime lastUse(Path stage) {
        try {
            return Files.getLastModifiedTime(stage.resolve(USED));
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static long sizeOf(Path tree) throws IOException {
        try (Stream<Path> paths = Files.walk(tree)) {
            return paths.mapToLong(path -> {
                try {
                    BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    return attributes.isRegularFile() ? attributes.size() : 0;
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }

    private void deleteQuietly(Path path) {
        try {
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                FileTrees.deleteRecursively(path);
            }
        } catch (IOException e) {
            log.warn("Cannot delete " + path + ": " + e.getMessage() + "; the next build removes it");
        }
    }
}
