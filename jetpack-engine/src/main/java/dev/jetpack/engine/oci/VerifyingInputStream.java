package dev.jetpack.engine.oci;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Passes a blob through and, at its end, checks that it had the descriptor's size and digest; a blob that is
 * longer, shorter or different fails with {@link OciFormatException} instead of ending normally. Content must be
 * read to the end to be trusted: callers that apply a layer read it whole before committing the result.
 */
public final class VerifyingInputStream extends FilterInputStream {
    private final Descriptor expected;
    private final String source;
    private final MessageDigest digest;
    private long count;
    private boolean verified;

    /** @param source names where the blob came from, for the error */
    public VerifyingInputStream(InputStream in, Descriptor expected, String source) {
        super(in);
        this.expected = expected;
        this.source = source;
        this.digest = expected.digest().newMessageDigest();
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
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
        int n = super.read(buffer, offset, length);
        if (n < 0) {
            verify();
        } else {
            digest.update(buffer, offset, n);
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must still be digested.
        byte[] buffer = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
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
