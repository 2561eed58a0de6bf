package dev.jetpack.engine.io;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Hashes (SHA-512) the bytes read through it: an image ID is made on the way in (count them with a
 * {@link CountingInputStream} below it). It never supports
 * mark/reset, so nothing is hashed twice (skipped bytes are read, and hashed, by {@link InputStream#skip}). Closing
 * it leaves the source open: the source belongs to the caller.
 */
public final class DigestingInputStream extends InputStream {
    private final InputStream in;
    private final MessageDigest digest = Sha512.newDigest();

    public DigestingInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            digest.update((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            digest.update(b, off, n);
        }
        return n;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** The SHA-512 of everything read; call once, at the end. */
    public byte[] digest() {
        return digest.digest();
    }
}
