package dev.jetpack.engine.aci.compress;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.tukaani.xz.UnsupportedOptionsException;
import org.tukaani.xz.XZInputStream;

/**
 * The compressor and decompressor streams of the formats an ACI may use, for
 * {@link dev.jetpack.engine.aci.Compression}, which decides which format and level an image gets. Levels and
 * thread counts arrive checked: a level in the format's range and at least one thread.
 *
 * <p>Closing a compressor finishes its format and closes the target. A compressor that owns threads or a child
 * process is an {@link AbortableOutputStream}, to be {@linkplain AbortableOutputStream#abort() aborted} when it is
 * abandoned unclosed.
 */
public final class CompressionStreams {
    private static final int BUFFER = 64 * 1024;

    private CompressionStreams() {
    }

    /** gzip, pigz-style on {@code threads} threads ({@link ParallelGzipOutputStream}). */
    public static OutputStream gzipOutput(OutputStream out, int level, int threads) {
        return new ParallelGzipOutputStream(out, level, threads);
    }

    /** bzip2, on one thread (commons-compress has no parallel encoder). */
    public static OutputStream bzip2Output(OutputStream out, int level) throws IOException {
        return new BZip2CompressorOutputStream(out, level);
    }

    /**
     * xz by the system's {@code xz} when installed ({@link SystemXzOutputStream}, measured faster here), and
     * otherwise by xz-java in independent blocks ({@link #xzJavaOutput}).
     *
     * @throws UnsupportedOptionsException when xz-java does not support {@code level}
     */
    public static OutputStream xzOutput(OutputStream out, int level, int threads) throws IOException {
        Optional<Path> xz = SystemXzOutputStream.find();
        if (xz.isPresent()) {
            return new SystemXzOutputStream(xz.get(), out, level, threads);
        }
        return xzJavaOutput(out, level, threads);
    }

    /** xz by xz-java on {@code threads} threads ({@link ParallelXzOutputStream}), whether or not xz is installed. */
    public static OutputStream xzJavaOutput(OutputStream out, int level, int threads)
            throws UnsupportedOptionsException {
        return new ParallelXzOutputStream(out, level, threads);
    }

    /**
     * Reads concatenated gzip members in full, as gzip itself does, whatever the source. Not the JDK's
     * GZIPInputStream: it reads a next member only when {@code available()} says bytes are waiting, so on a pipe
     * or a network stream that is momentarily empty at a member boundary it ends early, and a block-compressed
     * image (a member per block) reads as truncated.
     */
    public static InputStream gzipInput(InputStream in) throws IOException {
        return new GzipCompressorInputStream(new BufferedInputStream(in, BUFFER), true);
    }

    /** Reads concatenated bzip2 streams in full, as bzip2 itself does. */
    public static InputStream bzip2Input(InputStream in) throws IOException {
        return new BZip2CompressorInputStream(in, true);
    }

    /** Reads concatenated xz streams in full, as xz itself does. */
    public static InputStream xzInput(InputStream in) throws IOException {
        return new XZInputStream(in);
    }
}
