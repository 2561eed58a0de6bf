package dev.jetpack.engine.aci.compress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.zip.CRC32;
import org.tukaani.xz.ArrayCache;
import org.tukaani.xz.BasicArrayCache;
import org.tukaani.xz.FinishableOutputStream;
import org.tukaani.xz.FinishableWrapperOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.UnsupportedOptionsException;

/**
 * xz compressed with xz-java on several threads, the way {@code xz -T} does it: the input is cut into blocks of
 * three times the dictionary size, each block is LZMA2-compressed independently on a worker thread, and the
 * blocks are put into ONE .xz stream with a correct index. xz-java cannot encode a block on its own (its block
 * encoder is package-private), so this class writes the small .xz container itself (stream header, block headers
 * with both sizes, index, stream footer; CRC32 as check) around xz-java's raw LZMA2 encoder.
 *
 * <p>The result decodes with {@code xz -d} (which can decode it in parallel, since the block headers carry the
 * sizes) and with xz-java's {@code XZInputStream} and {@code SingleXZInputStream}. The output depends on the
 * level only, never on the number of threads.
 *
 * <p>Memory: each worker holds one LZMA2 encoder (about 94 MiB at level 6, see
 * {@link LZMA2Options#getEncoderMemoryUsage()}) and up to {@code 2 × threads} blocks of input are buffered.
 */
final class ParallelXzOutputStream extends ParallelBlockOutputStream<ParallelXzOutputStream.Block> {
    private static final byte[] MAGIC = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};
    private static final byte[] FOOTER_MAGIC = {'Y', 'Z'};
    private static final byte[] STREAM_FLAGS = {0, 1}; // check type 1: CRC32
    private static final int CHECK_SIZE = 4;
    private static final int LZMA2_FILTER_ID = 0x21;
    /** Blocks below 1 MiB cost ratio for no gain (xz uses the same floor). */
    private static final int MIN_BLOCK_SIZE = 1024 * 1024;

    private final LZMA2Options options;
    private final ThreadLocal<ArrayCache> caches = ThreadLocal.withInitial(BasicArrayCache::new);
    private final List<long[]> index = new ArrayList<>(); // {unpadded size, uncompressed size} per block

    /** One encoded block, ready to write: header, data, padding and check. */
    record Block(byte[] bytes, long unpaddedSize, long uncompressedSize) {
    }

    /**
     * @param out     receives the .xz stream; closed by {@link #close()}
     * @param level   xz preset 0..9
     * @param threads worker threads, at least 1
     */
    ParallelXzOutputStream(OutputStream out, int level, int threads) throws UnsupportedOptionsException {
        this(out, new LZMA2Options(level), threads);
    }

    private ParallelXzOutputStream(OutputStream out, LZMA2Options options, int threads) {
        super(out, blockSize(options), threads, "xz");
        this.options = options;
    }

    /** xz -T's default: three times the dictionary, at least 1 MiB. */
    static int blockSize(LZMA2Options options) {
        long size = 3L * options.getDictSize();
        return (int) Math.min(Integer.MAX_VALUE - 64, Math.max(MIN_BLOCK_SIZE, size));
    }

    @Override
    protected void writeHeader(OutputStream out) throws IOException {
        out.write(MAGIC);
        out.write(STREAM_FLAGS);
        writeInt32(out, crc32(STREAM_FLAGS, 0, STREAM_FLAGS.length));
    }

    @Override
    protected Callable<Block> compressTask(byte[] data, int length, boolean last) {
        if (length == 0) {
            return () -> null; // only an empty input ends in an empty block; xz writes no block for it
        }
        return () -> encodeBlock(data, length);
    }

    @Override
    protected void writeBlock(Block block, OutputStream out) throws IOException {
        if (block != null) {
            out.write(block.bytes());
            index.add(new long[] {block.unpaddedSize(), block.uncompressedSize()});
        }
    }

    @Override
    protected void writeTrailer(OutputStream out) throws IOException {
        ByteArrayOutputStream indexBytes = new ByteArrayOutputStream();
        indexBytes.write(0); // index indicator
        writeVli(indexBytes, index.size());
        for (long[] record : index) {
            writeVli(indexBytes, record[0]);
            writeVli(indexBytes, record[1]);
        }
        while (indexBytes.size() % 4 != 0) {
            indexBytes.write(0);
        }
        byte[] indexData = indexBytes.toByteArray();
        out.write(indexData);
        writeInt32(out, crc32(indexData, 0, indexData.length));

        byte[] footerFields = new byte[6]; // backward size (4 bytes) + stream flags
        long backwardSize = (indexData.length + 4) / 4 - 1;
        for (int i = 0; i < 4; i++) {
            footerFields[i] = (byte) (backwardSize >>> (8 * i));
        }
        footerFields[4] = STREAM_FLAGS[0];
        footerFields[5] = STREAM_FLAGS[1];
        writeInt32(out, crc32(footerFields, 0, footerFields.length));
        out.write(footerFields);
        out.write(FOOTER_MAGIC);
    }

    private Block encodeBlock(byte[] data, int length) throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(length / 3 + 1024);
        FinishableOutputStream lzma2 = options.getOutputStream(new FinishableWrapperOutputStream(compressed),
                caches.get());
        lzma2.write(data, 0, length);
        lzma2.finish();
        int compressedSize = compressed.size();

        ByteArrayOutputStream header = new ByteArrayOutputStream(32);
        header.write(0); // size, filled in below
        header.write(0xc0); // one filter; compressed and uncompressed sizes present
        writeVli(header, compressedSize);
        writeVli(header, length);
        header.write(LZMA2_FILTER_ID);
        header.write(1); // size of the filter properties
        header.write(dictionaryProperty(options.getDictSize()));
        while ((header.size() + 4) % 4 != 0) {
            header.write(0);
        }
        byte[] headerBytes = header.toByteArray();
        headerBytes[0] = (byte) ((headerBytes.length + 4) / 4 - 1);

        int padding = (4 - (headerBytes.length + 4 + compressedSize) % 4) % 4;
        ByteArrayOutputStream block = new ByteArrayOutputStream(headerBytes.length + 4 + compressedSize + 8);
        block.write(headerBytes);
        writeInt32(block, crc32(headerBytes, 0, headerBytes.length));
        compressed.writeTo(block);
        for (int i = 0; i < padding; i++) {
            block.write(0);
        }
        writeInt32(block, crc32(data, 0, length));
        long unpadded = headerBytes.length + 4L + compressedSize + CHECK_SIZE;
        return new Block(block.toByteArray(), unpadded, length);
    }

    /** The LZMA2 dictionary size byte: the smallest 2^n or 3·2^(n-1) (n ≥ 12) that holds the dictionary. */
    static int dictionaryProperty(int dictSize) {
        for (int property = 0; property < 40; property++) {
            long size = (2L | (property & 1)) << (property / 2 + 11);
            if (size >= dictSize) {
                return property;
            }
        }
        return 40;
    }

    private static void writeVli(OutputStream out, long value) throws IOException {
        while (value >= 0x80) {
            out.write((int) (value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }

    private static void writeInt32(OutputStream out, long value) throws IOException {
        for (int i = 0; i < 4; i++) {
            out.write((int) (value >>> (8 * i)) & 0xff);
        }
    }

    private static long crc32(byte[] data, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(data, offset, length);
        return crc.getValue();
    }
}
