package dev.jetpack.engine.aci.compress;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker pool of the parallel compressors: runs one task per block on daemon threads and hands the results
 * back on the caller's thread in submission order. At most {@code 2 × threads} tasks are in flight; submitting
 * more first waits for the oldest one and hands it over, so memory stays bounded whatever the input size.
 *
 * @param <R> what a task produces for one block
 */
final class OrderedWorkers<R> {
    private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

    /** Receives one block's result, on the caller's thread, in submission order. */
    @FunctionalInterface
    interface Handler<R> {
        void handle(R result) throws IOException;
    }

    private record Pending<R>(Future<R> result, Handler<R> handler) {
    }

    private final ExecutorService workers;
    private final int maxInFlight;
    private final String what;
    private final ArrayDeque<Pending<R>> pending = new ArrayDeque<>();

    /**
     * @param threads worker threads, at least 1
     * @param what    names the threads and the failures ("xz", "gzip", "blocks")
     */
    OrderedWorkers(int threads, String what) {
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be positive: " + threads);
        }
        this.maxInFlight = 2 * threads;
        this.what = what;
        String prefix = what + "-" + POOL_NUMBER.incrementAndGet() + "-";
        AtomicInteger threadNumber = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, prefix + threadNumber.incrementAndGet());
            thread.setDaemon(true); // an abandoned stream must not keep the JVM alive
            return thread;
        });
    }

    /**
     * Waits until a task may be queued, handing over the oldest results meanwhile; callers that prepare a task
     * from shared state (a preset dictionary) call this first, so at most {@code 2 × threads} are ever prepared.
     */
    void awaitRoom() throws IOException {
        while (pending.size() >= maxInFlight) {
            handOldest();
        }
    }

    /** Queues a task; when the queue is full, first hands over the oldest result (waiting for it). */
    void submit(Callable<R> task, Handler<R> handler) throws IOException {
        awaitRoom();
        pending.addLast(new Pending<>(workers.submit(task), handler));
    }

    /** Hands over the results that are ready, oldest first, without waiting. */
    void handReady() throws IOException {
        while (!pending.isEmpty() && pending.peekFirst().result().isDone()) {
            handOldest();
        }
    }

    /** Waits for every task and hands over all results. */
    void handAll() throws IOException {
        while (!pending.isEmpty()) {
            handOldest();
        }
    }

    /** Stops the workers and drops what is in flight. Safe to call more than once. */
    void shutdown() {
        workers.shutdownNow();
        pending.clear();
    }

    private void handOldest() throws IOException {
        Pending<R> oldest = pending.removeFirst();
        R result;
        try {
            result = oldest.result().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdown();
            throw new InterruptedIOException("interrupted while waiting for a compressed block");
        } catch (ExecutionException e) {
            shutdown();
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException("compressing a block (" + what + ") failed: " + cause, cause);
        }
        oldest.handler().handle(result);
    }
}
