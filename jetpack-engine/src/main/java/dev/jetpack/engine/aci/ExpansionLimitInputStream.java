package dev.jetpack.engine.aci;

import dev.jetpack.engine.io.CountingInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Stops decompression bombs while the uncompressed tar is read: it fails once the tar exceeds a total size, or
 * exceeds a ratio to the compressed bytes read (after a grace amount, so that small, highly compressible images
 * are fine). It reads through the stream that hashes the tar, so that the bytes drained are hashed too.
 */
public final class ExpansionLimitInputStream extends InputStream {
    private final InputStream tar;
    private final CountingInputStream uncompressed;
    private final CountingInputStream compressed;
    private final long maxBytes;
    private final ReaderOptions options;

    /**
     * @param tar          the uncompressed tar, read from {@code uncompressed}
     * @param uncompressed counts the uncompressed bytes
     * @param compressed   counts the compressed bytes
     * @param maxBytes     what may still be read ({@link ReaderOptions#maxUncompressedBytes()} less what earlier
     *                     layers of the same image took)
     * @param options      the ratio, its grace amount, and how the user raises the limits
     */
    public ExpansionLimitInputStream(InputStream tar, CountingInputStream uncompressed, CountingInputStream compressed,
            long maxBytes, ReaderOptions options) {
        this.tar = tar;
        this.uncompressed = uncompressed;
        this.compressed = compressed;
        this.maxBytes = maxBytes;
        this.options = options;
    }

    @Override
    public int read() throws IOException {
        int b = tar.read();
        if (b >= 0) {
            checkLimits();
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = tar.read(b, off, len);
        if (n > 0) {
            checkLimits();
        }
        return n;
    }

    private void checkLimits() {
        long count = uncompressed.count();
        if (count > maxBytes) {
            throw new AciFormatException("the archive expands to more than " + maxBytes + " bytes, the limit for"
                    + " one image (a decompression bomb, or an image larger than allowed). "
                    + options.raiseSizeLimit());
        }
        if (count > options.ratioGraceBytes()
                && count / Math.max(1, compressed.count()) > options.maxExpansionRatio()) {
            throw new AciFormatException("the archive expands " + count / Math.max(1, compressed.count()) + " times"
                    + " (" + compressed.count() + " compressed bytes to " + count + "), beyond the limit of "
                    + options.maxExpansionRatio() + " (a decompression bomb). " + options.raiseRatioLimit());
        }
    }

    /** Reads the rest of the stream (e.g. the tar's end padding) so that the ID covers every byte. */
    public void drain() throws IOException {
        byte[] buffer = new byte[64 * 1024];
        while (read(buffer, 0, buffer.length) >= 0) {
            // hashed by the digesting stream, checked by read
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
