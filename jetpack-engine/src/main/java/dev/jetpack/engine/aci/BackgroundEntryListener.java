package dev.jetpack.engine.aci;

import dev.jetpack.engine.io.WorkerFailure;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands the entries an {@link AciWriter} wrote to another listener on a thread of its own, one at a time and in
 * the writer's order. The store's tree of a build ({@code build.TreeMirror}) costs a link, a stat or a file write
 * per entry, about as much as writing the entry into the tar; beside the writer instead of inside it, the two
 * overlap on a machine with two cores.
 *
 * <p>A bounded queue sits between the two threads, so a slow listener slows the writer down instead of filling
 * the heap. The listener's first failure is reported by the next {@link #written} or by {@link #allWritten()}; after
 * it, the worker only drops entries, so the writer never waits on it. {@link #close()} ends the worker on every
 * path, and waits for it, so nothing is written into the target after the caller has cleaned it up.
 */
public final class BackgroundEntryListener implements AciWriter.EntryListener, AutoCloseable {
    private static final int QUEUED = 4096;
    /** The end of the entries; compared by identity. */
    private static final TarEntry END = new TarEntry("", TarEntry.Type.FILE, 0, 0, 0, 0, java.time.Instant.EPOCH,
            "", 0, 0, java.util.Map.of());

    private final AciWriter.EntryListener listener;
    private final BlockingQueue<TarEntry> queue = new ArrayBlockingQueue<>(QUEUED);
    private final Thread worker;
    private volatile Throwable failure;
    private volatile boolean abandoned;
    private boolean ended;

    public BackgroundEntryListener(AciWriter.EntryListener listener, String threadName) {
        this.listener = listener;
        worker = new Thread(this::drain, threadName);
        worker.setDaemon(true); // never keeps a JVM alive; close() ends it in normal use
        worker.start();
    }

    @Override
    public void written(TarEntry entry) throws IOException {
        if (ended) {
            throw new IllegalStateException("entries were written after allWritten() or close()");
        }
        rethrowFailure();
        put(entry);
    }

    /**
     * Waits until the listener has been given every entry and has finished ({@link AciWriter.EntryListener#allWritten}
     * on the worker), and reports its failure if it had one.
     */
    @Override
    public void allWritten() throws IOException {
        end();
        join();
        rethrowFailure();
    }

    /** Ends the worker without waiting for the entries still queued (they are dropped), then waits for it. */
    @Override
    public void close() {
        if (worker.isAlive()) {
            abandoned = true;
            queue.clear();
            try {
                end();
                join();
            } catch (IOException e) {
                // interrupted while waiting (the flag is set again) or the worker ended already: nothing is left
            }
        }
    }

    private void end() throws IOException {
        if (!ended) {
            ended = true;
            put(END);
        }
    }

    private void join() throws InterruptedIOException {
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the image's entries were being laid out");
        }
    }

    /** Hands an entry to the worker; it keeps taking entries after a failure, so this cannot hang. */
    private void put(TarEntry entry) throws IOException {
        try {
            while (!queue.offer(entry, 100, TimeUnit.MILLISECONDS)) {
                if (!worker.isAlive()) {
                    rethrowFailure();
                    throw new IOException("the thread laying out the image's entries ended early");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing the image");
        }
    }

    private void rethrowFailure() throws IOException {
        WorkerFailure.rethrowWithCallerStack(failure);
    }

    private void finishListener() {
        try {
            listener.allWritten();
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
        }
    }

    private void drain() {
        try {
            while (true) {
                TarEntry entry = queue.take();
                if (entry == END) {
                    if (failure == null && !abandoned) {
                        finishListener();
                    }
                    return;
                }
                if (failure == null && !abandoned) {
                    try {
                        listener.written(entry);
                    } catch (IOException | RuntimeException | Error e) {
                        failure = e;
                    }
                }
            }
        } catch (InterruptedException e) {
            failure = e; // nobody interrupts this thread; if someone does, the writer must not wait for it
        }
    }
}
