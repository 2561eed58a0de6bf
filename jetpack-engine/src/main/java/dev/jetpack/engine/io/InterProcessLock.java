package dev.jetpack.engine.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A lock on a file that works between threads of this JVM and between processes at once.
 *
 * <p>{@link FileChannel#lock} alone is not enough inside one JVM: a second lock on the same file from the same
 * JVM throws {@link java.nio.channels.OverlappingFileLockException} instead of waiting, and on Linux closing
 * <em>any</em> channel on a file drops every POSIX lock the process holds on it. So there is exactly one
 * instance per file per JVM ({@link #forFile}); threads queue on a read/write lock first and only the first
 * shared holder (or the exclusive holder) opens a channel and takes the file lock. The operating system
 * releases file locks when a process dies, which is what lets the store tell leftovers of dead processes
 * from work in progress.
 */
public final class InterProcessLock {
    private static final ConcurrentHashMap<Path, InterProcessLock> LOCKS = new ConcurrentHashMap<>();

    private final Path file;
    private final ReentrantReadWriteLock threads = new ReentrantReadWriteLock(true);
    private final Object fileGuard = new Object();
    private int sharedHolders;
    private FileChannel channel;
    private FileLock fileLock;

    private InterProcessLock(Path file) {
        this.file = file;
    }

    /** The one lock object of this JVM for {@code file} (created on first use; the file is created on locking). */
    public static InterProcessLock forFile(Path file) {
        return LOCKS.computeIfAbsent(file.toAbsolutePath().normalize(), InterProcessLock::new);
    }

    public Path file() {
        return file;
    }

    /** Waits for the lock shared with other readers (other shared holders in any process may hold it too). */
    public Held lockShared() throws IOException {
        refuseReentry();
        threads.readLock().lock();
        try {
            synchronized (fileGuard) {
                if (sharedHolders == 0) {
                    openAndLock(true);
                }
                sharedHolders++;
            }
        } catch (IOException | RuntimeException e) {
            threads.readLock().unlock();
            throw e;
        }
        return this::releaseShared;
    }

    /** Waits for the lock exclusively: no other thread or process holds it, shared or not, until released. */
    public Held lockExclusive() throws IOException {
        refuseReentry();
        threads.writeLock().lock();
        try {
            synchronized (fileGuard) {
                openAndLock(false);
            }
        } catch (IOException | RuntimeException e) {
            threads.writeLock().unlock();
            throw e;
        }
        return this::releaseExclusive;
    }

    /** Takes the lock exclusively if nobody (thread or process) holds it now; never waits. */
    public Optional<Held> tryLockExclusive() throws IOException {
        // The thread lock is reentrant, the file lock is not: a lock this thread holds is simply "not free".
        if (threads.isWriteLockedByCurrentThread() || threads.getReadHoldCount() > 0
                || !threads.writeLock().tryLock()) {
            return Optional.empty();
        }
        try {
            synchronized (fileGuard) {
                FileChannel opened = open();
                FileLock taken;
                try {
                    taken = opened.tryLock(0, Long.MAX_VALUE, false);
                } catch (IOException | RuntimeException e) {
                    opened.close();
                    throw e;
                }
                if (taken == null) {
                    opened.close();
                    threads.writeLock().unlock();
                    return Optional.empty();
                }
                channel = opened;
                fileLock = taken;
            }
        } catch (IOException | RuntimeException e) {
            threads.writeLock().unlock();
            throw e;
        }
        return Optional.of(this::releaseExclusive);
    }

    private void refuseReentry() {
        if (threads.isWriteLockedByCurrentThread() || threads.getReadHoldCount() > 0) {
            throw new IllegalStateException("This thread already holds the lock on " + file
                    + "; taking it again would deadlock or fail (file locks are not reentrant)");
        }
    }

    private void openAndLock(boolean shared) throws IOException {
        FileChannel opened = open();
        try {
            fileLock = opened.lock(0, Long.MAX_VALUE, shared);
            channel = opened;
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    private FileChannel open() throws IOException {
        Files.createDirectories(file.getParent());
        // A shared lock needs a readable channel, an exclusive one a writable channel: open both ways.
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    private void releaseShared() throws IOException {
        try {
            synchronized (fileGuard) {
                sharedHolders--;
                if (sharedHolders == 0) {
                    closeFile();
                }
            }
        } finally {
            threads.readLock().unlock();
        }
    }

    private void releaseExclusive() throws IOException {
        try {
            synchronized (fileGuard) {
                closeFile();
            }
        } finally {
            threads.writeLock().unlock();
        }
    }

    private void closeFile() throws IOException {
        try {
            if (fileLock != null && fileLock.isValid()) {
                fileLock.release();
            }
        } finally {
            fileLock = null;
            FileChannel closing = channel;
            channel = null;
            if (closing != null) {
                closing.close();
            }
        }
    }

    /** A held lock; closing it releases it. */
    @FunctionalInterface
    public interface Held extends AutoCloseable {
        @Override
        void close() throws IOException;
    }
}
