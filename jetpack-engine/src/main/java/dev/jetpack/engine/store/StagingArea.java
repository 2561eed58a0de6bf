package dev.jetpack.engine.store;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.io.FileTrees;
import dev.jetpack.engine.io.InterProcessLock;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The store's {@code tmp/} directory: private working directories that are invisible to readers and that the
 * next run can tell from live work.
 *
 * <p>Each working directory {@code tmp/ID/} has a sibling {@code tmp/ID.lock} that its owner holds locked for
 * as long as it works. The operating system drops that lock when the owner dies (even by {@code kill -9}), so
 * {@link #removeAbandoned} can delete exactly the directories whose owner is gone. The lock file is created
 * and locked <em>before</em> the directory, and the owner checks after locking that the lock file still
 * exists (a concurrent cleanup may have removed it in between); so a directory without a lock file is never
 * live.
 */
final class StagingArea {
    private static final String LOCK_SUFFIX = ".lock";

    private final Path tmp;

    StagingArea(Path tmp) {
        this.tmp = tmp;
    }

    /** A new, empty, locked working directory. Close it to delete what is left in it and release the lock. */
    Workspace create(String purpose) throws IOException {
        Files.createDirectories(tmp);
        while (true) {
            String name = purpose + "-" + UUID.randomUUID();
            Path lockFile = tmp.resolve(name + LOCK_SUFFIX);
            InterProcessLock lock = InterProcessLock.forFile(lockFile);
            InterProcessLock.Held held = lock.lockExclusive();
            if (!Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS)) {
                // Another process's cleanup saw the fresh, not yet locked file and removed it: start over.
                held.close();
                continue;
            }
            Path directory = tmp.resolve(name);
            try {
                Files.createDirectory(directory);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(lockFile);
                held.close();
                throw e;
            }
            return new Workspace(directory, lockFile, held);
        }
    }

    /**
     * Deletes the working directories of processes that are gone (their lock is free) and directories that
     * have no lock file at all. Live work, in this JVM or another process, is left alone.
     *
     * @return the names removed, for the log
     */
    List<String> removeAbandoned(EngineLog log) throws IOException {
        List<String> removed = new ArrayList<>();
        if (!Files.isDirectory(tmp)) {
            return removed;
        }
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(tmp)) {
            stream.forEach(entries::add);
        }
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (name.endsWith(LOCK_SUFFIX)) {
                Path directory = tmp.resolve(name.substring(0, name.length() - LOCK_SUFFIX.length()));
                Optional<InterProcessLock.Held> free = InterProcessLock.forFile(entry).tryLockExclusive();
                if (free.isPresent()) {
                    try (InterProcessLock.Held held = free.get()) {
                        FileTrees.deleteRecursively(directory);
                        Files.deleteIfExists(entry);
                    }
                    removed.add(directory.getFileName().toString());
                }
            } else if (Files.exists(entry, LinkOption.NOFOLLOW_LINKS)
                    && !Files.exists(tmp.resolve(name + LOCK_SUFFIX), LinkOption.NOFOLLOW_LINKS)) {
                FileTrees.deleteRecursively(entry);
                removed.add(name);
            }
        }
        removed.forEach(name -> log.debug("Removed leftover of an interrupted store operation: tmp/" + name));
        return removed;
    }

    /** One locked working directory. */
    static final class Workspace implements AutoCloseable {
        private final Path directory;
        private final Path lockFile;
        private final InterProcessLock.Held held;

        private Workspace(Path directory, Path lockFile, InterProcessLock.Held held) {
            this.directory = directory;
            this.lockFile = lockFile;
            this.held = held;
        }

        Path directory() {
            return directory;
        }

        /** Deletes the directory if it is still here (it is not after a successful commit) and the lock file. */
        @Override
        public void close() throws IOException {
            try {
                FileTrees.deleteRecursively(directory);
                Files.deleteIfExists(lockFile);
            } finally {
                held.close();
            }
        }
    }
}
