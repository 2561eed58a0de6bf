package dev.jetpack.engine.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Passes a stream through while writing every byte read to a copy, so that one pass over a download both
 * unpacks it and keeps it (the store keeps each ACI exactly as received). Skipped bytes are read and copied
 * too; {@link #drain()} copies whatever the reader did not consume, so the copy always ends up complete.
 * Closing this stream closes the source, not the copy.
 *
 * <p>A failure to write the copy (a full disk) reaches the reader as a failed read, which a reader of archives
 * takes for a truncated download; {@link #copyFailure()} tells the caller which side failed.
 */
public final class TeeInputStream extends FilterInputStream {
    private final OutputStream copy;
    private IOException copyFailure;

    public TeeInputStream(InputStream source, OutputStream copy) {
        super(source);
        this.copy = copy;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            copy(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            copy(buffer, offset, n);
        }
        return n;
    }

    /** The failure that writing the copy ended with, if it failed (the source was fine then). */
    public Optional<IOException> copyFailure() {
        return Optional.ofNullable(copyFailure);
    }

    private void copy(byte[] buffer, int offset, int length) throws IOException {
        try {
            copy.write(buffer, offset, length);
        } catch (IOException e) {
            copyFailure = e;
            throw e;
        }
    }

    @Override
    public long skip(long n) throws IOException {
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

    /** Marking would make bytes be copied twice on reset: not supported. */
    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset is not supported by TeeInputStream");
    }

    /** Reads (and copies) the rest of the source up to its end; returns how many bytes that was. */
    public long drain() throws IOException {
        byte[] buffer = new byte[65536];
        long total = 0;
        for (int n; (n = read(buffer, 0, buffer.length)) >= 0; ) {
            total += n;
        }
        return total;
    }
}
