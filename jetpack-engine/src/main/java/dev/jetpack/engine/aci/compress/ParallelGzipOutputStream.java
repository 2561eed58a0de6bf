package dev.jetpack.engine.aci.compress;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip compressed pigz-style on several threads: the input is cut into 128 KiB blocks that are deflated in
 * parallel, each with the previous block's last 32 KiB as preset dictionary (so matches still reach across block
 * boundaries and the ratio stays within a fraction of a percent of one-threaded gzip). Every block but the last
 * ends with a sync flush, which byte-aligns the deflate stream so the pieces can simply be concatenated; the last
 * one ends the deflate stream. The result is one ordinary gzip member: any gzip reader decodes it.
 *
 * <p>The output depends on the level only, never on the number of threads. The header carries no time stamp or
 * name, so equal input gives equal bytes.
 */
final class ParallelGzipOutputStream extends ParallelBlockOutputStream<byte[]> {
    /** pigz's default block size. */
    static final int BLOCK_SIZE = 128 * 1024;
    /** deflate's window: more history than this cannot be referenced. */
    private static final int DICTIONARY_SIZE = 32 * 1024;
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3}; // deflate, no flags, Unix

    private final int level;
    private final CRC32 crc = new CRC32();
    private final ThreadLocalDeflaters deflaters;
    private long inputSize;
    /** The last 32 KiB of the block submitted before, copied because that buffer is recycled. */
    private byte[] dictionary;

    /**
     * @param out     receives the gzip stream; closed by {@link #close()}
     * @param level   deflate level 0..9
     * @param threads worker threads, at least 1
     */
    ParallelGzipOutputStream(OutputStream out, int level, int threads) {
        super(out, BLOCK_SIZE, threads, "gzip");
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("gzip level must be 0..9: " + level);
        }
        this.level = level;
        this.deflaters = new ThreadLocalDeflaters(level);
    }

    @Override
    protected void writeHeader(OutputStream out) throws IOException {
        byte[] header = HEADER.clone();
        header[8] = (byte) (level == 9 ? 2 : level == 1 ? 4 : 0); // XFL as gzip writes it
        out.write(header);
    }

    @Override
    protected Callable<byte[]> compressTask(byte[] data, int length, boolean last) {
        crc.update(data, 0, length); // cheap (an intrinsic), so kept sequential rather than combined
        inputSize += length;
        byte[] preset = dictionary;
        int tail = Math.min(DICTIONARY_SIZE, length);
        dictionary = length == 0 ? dictionary : Arrays.copyOfRange(data, length - tail, length);
        return () -> deflate(data, length, preset, last);
    }

    @Override
    protected void writeBlock(byte[] result, OutputStream out) throws IOException {
        out.write(result);
    }

    @Override
    protected void writeTrailer(OutputStream out) throws IOException {
        long value = crc.getValue();
        byte[] trailer = new byte[8];
        for (int i = 0; i < 4; i++) {
            trailer[i] = (byte) (value >>> (8 * i));
            trailer[4 + i] = (byte) (inputSize >>> (8 * i)); // ISIZE: the size modulo 2^32
        }
        out.write(trailer);
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            deflaters.endAll();
        }
    }

    @Override
    public void abort() {
        super.abort();
        deflaters.endAll();
    }

    private byte[] deflate(byte[] data, int length, byte[] preset, boolean last) {
        Deflater deflater = deflaters.get();
        deflater.reset();
        if (preset != null) {
            deflater.setDictionary(preset);
        }
        deflater.setInput(data, 0, length);
        byte[] output = new byte[length + length / 8 + 64];
        int written = 0;
        if (last) {
            deflater.finish();
            while (!deflater.finished()) {
                if (written == output.length) {
                    output = Arrays.copyOf(output, output.length * 2);
                }
                written += deflater.deflate(output, written, output.length - written);
            }
        } else {
            // with SYNC_FLUSH, a full output buffer means there may be more: call again with more room
            while (true) {
                int n = deflater.deflate(output, written, output.length - written, Deflater.SYNC_FLUSH);
                written += n;
                if (written < output.length) {
                    break;
                }
                output = Arrays.copyOf(output, output.length * 2);
            }
        }
        return Arrays.copyOf(output, written);
    }

    /** One native deflater per worker thread (they hold ~300 KB of native memory each), all ended on close. */
    private static final class ThreadLocalDeflaters extends ThreadLocal<Deflater> {
        private final int level;
        private final java.util.List<Deflater> all = new java.util.concurrent.CopyOnWriteArrayList<>();

        ThreadLocalDeflaters(int level) {
            this.level = level;
        }

        @Override
        protected Deflater initialValue() {
            Deflater deflater = new Deflater(level, true); // raw deflate: the gzip framing is ours
            all.add(deflater);
            return deflater;
        }

        void endAll() {
            for (Deflater deflater : all) {
                deflater.end();
            }
            all.clear();
        }
    }
}
