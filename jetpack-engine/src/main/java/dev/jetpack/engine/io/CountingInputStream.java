package dev.jetpack.engine.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts the bytes read through it (e.g. an archive's compressed size, for its expansion-ratio limit). */
public final class CountingInputStream extends FilterInputStream {
    private long count;

    public CountingInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(n);
        count += skipped;
        return skipped;
    }

    /**
     * Only a hint, so a failure means "unknown": on JDK 17 the stream of {@code Files.newInputStream} fails here
     * with "Illegal seek" when the file is a pipe (a fifo, {@code /dev/stdin}, {@code <(curl ...)}), and
     * BufferedInputStream asks for it on every read.
     */
    @Override
    public int available() {
        try {
            return in.available();
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Bytes read (and skipped) so far. */
    public long count() {
        return count;
    }
}
