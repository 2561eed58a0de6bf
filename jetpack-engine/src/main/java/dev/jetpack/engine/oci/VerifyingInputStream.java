package dev.jetpack.engine.oci;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Passes a blob through and, at its end, checks that it had the descriptor's size and digest; a blob that is
 * longer, shorter or different fails with {@link OciFormatException} instead of ending normally. Content must be
 * read to the end to be trusted: callers that apply a layer read it whole before committing the result. Skipped
 * bytes are read, and digested, by {@link InputStream#skip} (which reads through {@link #read(byte[], int, int)}).
 */
public final class VerifyingInputStream extends InputStream {
    private final InputStream in;
    private final Descriptor expected;
    private final String source;
    private final MessageDigest digest;
    private long count;
    private boolean verified;

    /** @param source names where the blob came from, for the error */
    public VerifyingInputStream(InputStream in, Descriptor expected, String source) {
        this.in = in;
        this.expected = expected;
        this.source = source;
        this.digest = expected.digest().newMessageDigest();
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            verify();
        } else {
            digest.update((byte) b);
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n < 0) {
            verify();
        } else {
            digest.update(buffer, offset, n);
            count(n);
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void count(int n) {
        count += n;
        if (count > expected.size()) {
            throw new OciFormatException(source + " is longer than its descriptor's " + expected.size()
                    + " bytes (" + expected.digest() + "): refused");
        }
    }

    private void verify() {
        if (verified) {
            return;
        }
        verified = true;
        if (count != expected.size()) {
            throw new OciFormatException(source + " has " + count + " bytes where its descriptor says "
                    + expected.size() + " (" + expected.digest() + "): refused");
        }
        if (!expected.digest().matches(digest)) {
            throw new OciFormatException(source + " does not match its digest " + expected.digest()
                    + ": the content is damaged or not what was asked for; refused");
        }
    }
}
