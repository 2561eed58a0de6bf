package dev.jetpack.engine.aci.compress;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Cuts a stream into fixed-size blocks, compresses them on worker threads and writes the results in input order.
 * Used for pigz-style gzip and multi-block xz.
 *
 * <p>Memory is bounded: at most {@code 2 × threads} blocks are queued or being compressed; when that many are in
 * flight, the writing thread waits for the oldest one and writes it out before it accepts more input. Input
 * buffers are recycled, so a stream of any length uses the same few buffers.
 *
 * <p>A full block is handed to the workers only when more input arrives, so the block given to
 * {@link #compressTask} with {@code last == true} is the true end of the data: possibly partial, possibly full,
 * and empty only when the whole input was empty.
 *
 * @param <R> what a worker produces for one block; {@link #writeBlock} writes it on the caller's thread
 */
abstract class ParallelBlockOutputStream<R> extends AbortableOutputStream {
    private final OutputStream out;
    private final int blockSize;
    private final OrderedWorkers<R> workers;
    private final ArrayDeque<byte[]> freeBuffers = new ArrayDeque<>();
    private byte[] current;
    private int filled;
    private boolean headerWritten;
    private boolean closed;

    /**
     * @param out       receives the compressed stream; closed by {@link #close()}
     * @param blockSize uncompressed bytes per block
     * @param threads   worker threads, at least 1
     */
    protected ParallelBlockOutputStream(OutputStream out, int blockSize, int threads, String name) {
        if (blockSize <= 0 || threads <= 0) {
            throw new IllegalArgumentException("blockSize and threads must be positive");
        }
        this.out = Objects.requireNonNull(out, "out");
        this.blockSize = blockSize;
        this.workers = new OrderedWorkers<>(threads, name);
    }

    /** Writes what precedes the first block (e.g. the gzip or xz header); called once, on the caller's thread. */
    protected abstract void writeHeader(OutputStream out) throws IOException;

    /**
     * Returns the work that compresses one block; called on the caller's thread, in input order, so that it may
     * capture state from the previous block (a preset dictionary). The task runs on a worker thread and must not
     * keep {@code data} beyond its return: the buffer is reused after the result was written.
     *
     * @param last whether this is the final block of the stream
     */
    protected abstract Callable<R> compressTask(byte[] data, int length, boolean last);

    /** Writes one block's result; called on the caller's thread, in input order. */
    protected abstract void writeBlock(R result, OutputStream out) throws IOException;

    /** Writes what follows the last block (the gzip trailer, the xz index and footer). */
    protected abstract void writeTrailer(OutputStream out) throws IOException;

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        while (len > 0) {
            if (current == null) {
                current = takeBuffer();
            } else if (filled == blockSize) {
                submit(false);
                current = takeBuffer();
            }
            int n = Math.min(len, blockSize - filled);
            System.arraycopy(b, off, current, filled, n);
            filled += n;
            off += n;
            len -= n;
        }
    }

    /** Writes out the blocks already compressed; does not force a partial block (that would cost ratio). */
    @Override
    public void flush() throws IOException {
        ensureOpen();
        workers.handReady();
        out.flush();
    }

    /** Compresses the rest, writes the trailer and closes the target. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (current == null) {
                current = takeBuffer();
            }
            submit(true);
            workers.handAll();
            writeTrailer(out);
            out.flush();
        } finally {
            workers.shutdown();
            out.close();
        }
    }

    @Override
    public void abort() {
        closed = true;
        workers.shutdown();
        freeBuffers.clear();
        current = null;
    }

    private void submit(boolean last) throws IOException {
        if (!headerWritten) {
            headerWritten = true;
            writeHeader(out);
        }
        byte[] buffer = current;
        workers.awaitRoom(); // before compressTask: it is where subclasses count and prepare a block
        workers.submit(compressTask(buffer, filled, last), result -> {
            writeBlock(result, out);
            freeBuffers.addLast(buffer);
        });
        current = null;
        filled = 0;
    }

    private byte[] takeBuffer() {
        byte[] buffer = freeBuffers.pollFirst();
        return buffer != null ? buffer : new byte[blockSize];
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
    }
}
