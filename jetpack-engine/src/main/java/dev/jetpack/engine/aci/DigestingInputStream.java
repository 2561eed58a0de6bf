package dev.jetpack.engine.aci;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Hashes and counts the uncompressed tar as it is read, and stops decompression bombs: it fails once the tar
 * exceeds a total size, or exceeds a ratio to the compressed bytes read (after a grace amount, so that small,
 * highly compressible images are fine). It never supports mark/reset, so nothing is hashed twice.
 */
final class DigestingInputStream extends InputStream {
    /** Below this many uncompressed bytes the expansion ratio is not checked. */
    static final long RATIO_GRACE_BYTES = 64L * 1024 * 1024;

    private final InputStream in;
    private final CountingInputStream compressed;
    private final long maxBytes;
    private final long maxRatio;
    private final MessageDigest digest = DigestingOutputStream.sha512();
    private long count;

    DigestingInputStream(InputStream in, CountingInputStream compressed, long maxBytes, long maxRatio) {
        this.in = in;
        this.compressed = compressed;
        this.maxBytes = maxBytes;
        this.maxRatio = maxRatio;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            digest.update(b, off, n);
            count += n;
            checkLimits();
        }
        return n;
    }

    private void checkLimits() {
        if (count > maxBytes) {
            throw new AciFormatException("the archive expands to more than " + maxBytes + " bytes, the limit for"
                    + " one image (a decompression bomb, or an image larger than allowed). Raise the limit if the"
                    + " image is genuine.");
        }
        if (count > RATIO_GRACE_BYTES && count / Math.max(1, compressed.count()) > maxRatio) {
            throw new AciFormatException("the archive expands " + count / Math.max(1, compressed.count()) + " times"
                    + " (" + compressed.count() + " compressed bytes to " + count + "), beyond the limit of "
                    + maxRatio + " (a decompression bomb). Raise the limit if the image is genuine.");
        }
    }

    /** Reads the rest of the stream (e.g. the tar's end padding) so that the ID covers every byte. */
    void drain() throws IOException {
        byte[] buffer = new byte[64 * 1024];
        while (read(buffer, 0, buffer.length) >= 0) {
            // hashed by read
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    long count() {
        return count;
    }

    byte[] digest() {
        return digest.digest();
    }
}
