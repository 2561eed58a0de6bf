package dev.jetpack.engine.aci;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Passes bytes on while computing their SHA-512 and counting them: the image ID is made on the way out. */
final class DigestingOutputStream extends FilterOutputStream {
    private final MessageDigest digest = sha512();
    private long count;

    DigestingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        digest.update((byte) b);
        count++;
        out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        digest.update(b, off, len);
        count += len;
        out.write(b, off, len);
    }

    long count() {
        return count;
    }

    byte[] digest() {
        return digest.digest();
    }

    static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-512", e);
        }
    }
}
