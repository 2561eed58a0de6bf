package dev.jetpack.engine.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Computes the SHA-512 of the bytes (the image ID; or another digest) on a background thread and passes them on to
 * {@code out}, in order. Hashing costs about as much as producing the tar of a tree of small files, so doing it
 * beside the tar writer instead of after it nearly halves an uncompressed write on a machine with two cores.
 * Where the bytes are passed on is the {@link Downstream} given.
 *
 * <p>Bytes are gathered into chunks; a bounded set of chunks is recycled between the two threads, so a slow
 * downstream stream slows the writer down instead of filling the heap. A failure downstream is reported by the next
 * {@link #write} or by {@link #close()}. {@link #digest()} is valid once {@link #close()} has returned.
 */
public final class BackgroundDigestingOutputStream extends OutputStream {
    private static final int CHUNK = 256 * 1024;
    private static final int CHUNKS = 4;
    private static final Chunk END = new Chunk(new byte[0], 0);

    /** Which thread writes the bytes to {@code out}. */
    public enum Downstream {
        /** The worker, after hashing them: for an {@code out} that works on them itself, as a compressor does. */
        WORKER,
        /**
         * The caller's thread, as each chunk is handed to the worker: for an {@code out} that only stores them, a
         * file. On the worker, the file's writes queued behind the hash: an uncompressed write of the debootstrap
         * tree took the hash's 0.3 s plus the writes' 0.1 s, with the caller's thread mostly waiting.
         */
        CALLER
    }

    private record Chunk(byte[] data, int length) {
    }

    private final OutputStream out;
    private final Downstream downstream;
    private final MessageDigest digest;
    private final BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(CHUNKS + 1);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);
    private final Thread worker;
    private volatile Throwable failure;
    private volatile boolean aborted;
    private byte[] current;
    private int position;
    private long count;
    private boolean closed;

    public BackgroundDigestingOutputStream(OutputStream out) {
        this(out, Downstream.WORKER);
    }

    public BackgroundDigestingOutputStream(OutputStream out, Downstream downstream) {
        this(out, downstream, Sha512.newDigest());
    }

    /** Digests with {@code digest} instead of SHA-512 (OCI layers' diff IDs are SHA-256). */
    public BackgroundDigestingOutputStream(OutputStream out, MessageDigest digest) {
        this(out, Downstream.WORKER, digest);
    }

    private BackgroundDigestingOutputStream(OutputStream out, Downstream downstream, MessageDigest digest) {
        this.out = out;
        this.downstream = downstream;
        this.digest = digest;
        for (int i = 0; i < CHUNKS; i++) {
            free.add(new byte[CHUNK]);
        }
        worker = new Thread(this::drain, "jetpack-image-id");
        worker.setDaemon(true); // never keeps a JVM alive; abort() and close() end it in normal use
        worker.start();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("the stream is closed");
        }
        while (len > 0) {
            if (current == null) {
                current = take();
                position = 0;
            }
            int n = Math.min(len, current.length - position);
            System.arraycopy(b, off, current, position, n);
            position += n;
            off += n;
            len -= n;
            count += n;
            if (position == current.length) {
                handOff();
            }
        }
    }

    /** Passes the bytes gathered so far on (without waiting for the worker to hash or write them). */
    @Override
    public void flush() throws IOException {
        if (!closed && current != null && position > 0) {
            handOff();
        }
    }

    /** Waits for every byte to be hashed and written, then closes {@code out}. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            flush();
        } finally {
            closed = true;
            put(END); // also after a failure, so the worker ends
        }
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the image ID was being computed");
        }
        rethrowFailure();
        out.close();
    }

    /**
     * Tells the worker to drop what it still holds, for an archive being abandoned; then abort whatever {@code out}
     * might be blocked on, and call {@link #awaitAbort()}.
     */
    public void abort() {
        aborted = true;
        closed = true;
        filled.clear();
        filled.offer(END); // room is certain: the queue was just emptied and only this thread adds to it
    }

    /** Waits a bounded time for a write in progress, so nothing reaches {@code out} after an abort. */
    public void awaitAbort() {
        try {
            worker.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Bytes accepted so far. */
    public long count() {
        return count;
    }

    /** The digest (SHA-512 unless given) of everything written; call after {@link #close()}. */
    public byte[] digest() {
        return digest.digest();
    }

    private void handOff() throws IOException {
        if (downstream == Downstream.CALLER) {
            // before the worker has the chunk: once it has, the chunk may be recycled at any time
            out.write(current, 0, position);
        }
        put(new Chunk(current, position));
        current = null;
        position = 0;
    }

    private byte[] take() throws IOException {
        rethrowFailure();
        try {
            byte[] chunk;
            while ((chunk = free.poll(100, TimeUnit.MILLISECONDS)) == null) {
                checkWorkerAlive();
            }
            return chunk;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing the image");
        }
    }

    /** Hands a chunk to the worker; the worker keeps taking chunks even after a failure, so this cannot hang. */
    private void put(Chunk chunk) throws IOException {
        try {
            while (!filled.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                checkWorkerAlive();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing the image");
        }
        if (chunk != END) {
            rethrowFailure();
        }
    }

    private void checkWorkerAlive() throws IOException {
        if (!worker.isAlive()) {
            rethrowFailure();
            throw new IOException("the image ID thread ended early");
        }
    }

    private void rethrowFailure() throws IOException {
        WorkerFailure.rethrowWithCallerStack(failure);
    }

    /** The worker: hashes (and, for {@link Downstream#WORKER}, writes) chunks in order; after a failure it only recycles them, so nobody waits on it. */
    private void drain() {
        try {
            while (true) {
                Chunk chunk = filled.take();
                if (chunk == END) {
                    if (failure == null && !aborted && downstream == Downstream.WORKER) {
                        out.flush();
                    }
                    return;
                }
                if (failure == null && !aborted) {
                    try {
                        digest.update(chunk.data(), 0, chunk.length());
                        if (downstream == Downstream.WORKER) {
                            out.write(chunk.data(), 0, chunk.length());
                        }
                    } catch (IOException | RuntimeException | Error e) {
                        failure = e;
                    }
                }
                free.put(chunk.data());
            }
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
        } catch (InterruptedException e) {
            failure = e; // nobody interrupts this thread; if someone does, the writer must not wait for it
        }
    }
}
