package dev.jetpack.engine.aci.compress;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Compresses a stream as a series of independent blocks whose ends the producer chooses ({@link #cutAt}), never by
 * offset: each block becomes one self-contained xz stream, gzip member or bzip2 stream ({@link BlockEncoder}), and
 * their concatenation is the output. Blocks are compressed on worker threads and written in input order; with a
 * {@link BlockCache}, a block whose uncompressed bytes were compressed before by the same encoder is copied from the
 * cache instead. Since a block's bytes depend only on its content and the encoder, the output is the same whether a
 * block was compressed now or reused, and whatever the number of threads.
 *
 * <p>{@link #cutAt} may be called from another thread than {@link #write} (the tar writer announces entry
 * boundaries while the image-ID thread passes the bytes on), as long as each cut is announced before the byte at its
 * offset is written. Memory is bounded by {@code 2 × threads} blocks in flight.
 */
public final class BlockCompressingOutputStream extends AbortableOutputStream {
    private static final int INITIAL_BUFFER = 256 * 1024;

    private final OutputStream out;
    private final BlockEncoder encoder;
    private final BlockCache cache;
    private final OrderedWorkers<byte[]> workers;
    private final ConcurrentLinkedQueue<Cut> cuts = new ConcurrentLinkedQueue<>();
    /**
     * Block buffers whose block is compressed, for the next blocks: a block is about a megabyte, so a new
     * buffer per block would be a humongous allocation for G1 (half a region or more) every time, each one
     * starting a concurrent cycle; with two cores that took a third of a rebuild's time. At most the blocks in
     * flight plus one buffer exist.
     */
    private final ConcurrentLinkedQueue<byte[]> spareBuffers = new ConcurrentLinkedQueue<>();
    private final AtomicInteger reused = new AtomicInteger();
    private final AtomicLong reusedBytes = new AtomicLong();
    private final AtomicInteger recognised = new AtomicInteger();
    private int blocks;
    private byte[] current = new byte[INITIAL_BUFFER];
    private int filled;
    private long count;
    private boolean closed;

    /**
     * What a finished stream did: blocks written, how many of them (and how many input bytes) came cached, and how
     * many of those the cache knew by their recipe, without hashing them.
     */
    public record Stats(int blocks, int reused, long reusedBytes, int recognised) {
    }

    /** A block's end, and what the block is made of (null when unknown): see {@link BlockCache#findRecipe}. */
    private record Cut(long offset, byte[] recipe) {
    }

    /**
     * @param out     receives the concatenated blocks; closed by {@link #close()}
     * @param cache   where blocks are looked up and stored, or null for none
     * @param threads worker threads, at least 1
     */
    public BlockCompressingOutputStream(OutputStream out, BlockEncoder encoder, BlockCache cache, int threads) {
        this.out = Objects.requireNonNull(out, "out");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.cache = cache;
        this.workers = new OrderedWorkers<>(threads, encoder.format());
    }

    /**
     * Ends a block at {@code offset} (counted in uncompressed bytes from the start). Offsets come in increasing
     * order, each one announced before the byte at that offset is written; a cut where a block would be empty is
     * ignored.
     */
    public void cutAt(long offset) {
        cutAt(offset, null);
    }

    /**
     * {@link #cutAt(long)} for a block whose content {@code recipe} describes (a digest of what it is made of,
     * equal only for equal bytes): with a cache that knows the recipe, the block is confirmed by a CRC of its
     * bytes and taken from the cache without hashing it. Null when unknown.
     */
    public void cutAt(long offset, byte[] recipe) {
        cuts.add(new Cut(offset, recipe));
    }

    /** Uncompressed bytes written so far. */
    public long count() {
        return count;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        while (len > 0) {
            Cut next = cuts.peek();
            if (next != null && next.offset() <= count) {
                if (next.offset() < count) {
                    throw new IllegalStateException("block cut at offset " + next.offset() + " announced after "
                            + count + " bytes were written: cuts must come before their bytes");
                }
                cuts.poll();
                endBlock(next.recipe());
                continue;
            }
            int n = next == null ? len : (int) Math.min(len, next.offset() - count);
            append(b, off, n);
            off += n;
            len -= n;
            count += n;
        }
    }

    /** Writes out the blocks already compressed; a partial block stays open (a cut decides where it ends). */
    @Override
    public void flush() throws IOException {
        ensureOpen();
        workers.handReady();
        out.flush();
    }

    /** Compresses the last block, writes everything, trims the cache and closes the target. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            if (filled > 0 || blocks == 0) {
                // the last block has no cut, so no recipe; an empty input still needs one (empty) stream to be
                // a valid file of its format
                submit(null);
            }
            workers.handAll();
            out.flush();
            closed = true;
            if (cache != null) {
                cache.trim();
            }
        } finally {
            closed = true;
            workers.shutdown();
            out.close();
        }
    }

    @Override
    public void abort() {
        closed = true;
        workers.shutdown();
        current = null;
    }

    /** Valid after {@link #close()}. */
    public Stats stats() {
        return new Stats(blocks, reused.get(), reusedBytes.get(), recognised.get());
    }

    private void append(byte[] b, int off, int n) {
        if (filled + n > current.length) {
            long wanted = Math.max((long) filled + n, 2L * current.length);
            current = Arrays.copyOf(current, (int) Math.min(Integer.MAX_VALUE - 16, wanted));
        }
        System.arraycopy(b, off, current, filled, n);
        filled += n;
    }

    /** Ends the block being filled at its cut; {@code recipe} describes it (null when unknown). */
    private void endBlock(byte[] recipe) throws IOException {
        if (filled > 0) {
            submit(recipe);
        }
    }

    private void submit(byte[] recipe) throws IOException {
        byte[] data = current;
        int length = filled;
        workers.submit(() -> compress(data, length, recipe), out::write);
        blocks++;
        byte[] spare = spareBuffers.poll();
        current = spare != null ? spare : new byte[INITIAL_BUFFER];
        filled = 0;
    }

    private byte[] compress(byte[] data, int length, byte[] recipe) throws IOException {
        try {
            return compressOrReuse(data, length, recipe);
        } finally {
            spareBuffers.offer(data); // nothing holds it once the block is compressed or found
        }
    }

    private byte[] compressOrReuse(byte[] data, int length, byte[] recipe) throws IOException {
        if (cache == null) {
            return encoder.encode(data, length);
        }
        // A known recipe names the block's SHA-256 (its bytes confirmed by their CRC): the hash is needed only
        // for a block the cache cannot name, whose recipe is then recorded for the next write.
        Optional<byte[]> named = recipe == null ? Optional.empty() : cache.findRecipe(recipe, data, length);
        BlockCache.Key key = named.isPresent() ? new BlockCache.Key(encoder.identity(), named.get())
                : BlockCache.Key.of(encoder, data, length);
        if (recipe != null && named.isEmpty()) {
            cache.storeRecipe(recipe, key.uncompressedSha256(), data, length);
        }
        Optional<byte[]> cached = cache.find(key);
        if (cached.isPresent()) {
            if (named.isPresent()) {
                recognised.incrementAndGet();
            }
            reused.incrementAndGet();
            reusedBytes.addAndGet(length);
            return cached.get();
        }
        byte[] compressed = encoder.encode(data, length);
        cache.store(key, compressed);
        return compressed;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
    }
}
