package dev.jetpack.engine.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Passes a stream through while writing every byte read to a copy, so that one pass over a download both
 * unpacks it and keeps it (the store keeps each ACI exactly as received). Skipped bytes are read and copied
 * too; {@link #drain()} copies whatever the reader did not consume, so the copy always ends up complete.
 * Closing this stream closes the source, not the copy.
 */
public final class TeeInputStream extends FilterInputStream {
    private final OutputStream copy;

    public TeeInputStream(InputStream source, OutputStream copy) {
        super(source);
        this.copy = copy;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            copy.write(b);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            copy.write(buffer, offset, n);
        }
        return n;
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
