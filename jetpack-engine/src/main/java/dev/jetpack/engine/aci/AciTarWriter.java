package dev.jetpack.engine.aci;

import dev.jetpack.engine.aci.compress.AbortableOutputStream;
import dev.jetpack.engine.io.BackgroundDigestingOutputStream;
import dev.jetpack.engine.io.CountingOutputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Map;

/**
 * Writes an ACI entry by entry in one pass: tar → SHA-512 (the image ID) → compressor → the caller's stream.
 * {@link AciWriter} feeds it from a directory, the base image maker from a rootfs tarball. The tar dialect is
 * {@link TarStreamWriter}'s; this class adds the ACI's rules: the manifest first, everything else under
 * {@code rootfs/}.
 */
public final class AciTarWriter implements Closeable {
    private static final int BUFFER = 64 * 1024;

    private final CountingOutputStream fileCounter;
    private final BackgroundDigestingOutputStream tarDigest;
    private final TarStreamWriter tar;
    private final OutputStream compressor;
    private boolean manifestWritten;
    private boolean finished;

    private AciTarWriter(OutputStream target, Compression compression, int level, int threads) throws IOException {
        fileCounter = new CountingOutputStream(target);
        OutputStream compressed = compression.compress(new BufferedOutputStream(fileCounter, BUFFER), level,
                threads);
        compressor = compressed;
        tarDigest = new BackgroundDigestingOutputStream(compressed);
        tar = new TarStreamWriter(tarDigest);
    }

    /**
     * Starts an ACI on {@code target}; {@link #finish()} completes it. {@code target} is never closed here.
     *
     * @param level   compression level, -1 for the compression's default
     * @param threads compression threads, or {@link Compression#ALL_CORES}
     */
    public static AciTarWriter open(OutputStream target, Compression compression, int level, int threads)
            throws IOException {
        return new AciTarWriter(target, compression, level, threads);
    }

    /** Writes the {@code manifest} entry (mode 0644, owned by 0:0). Call it once, before any rootfs entry. */
    public void writeManifest(byte[] manifestJson, Instant mtime) throws IOException {
        if (manifestWritten) {
            throw new IllegalStateException("the manifest was already written");
        }
        manifestWritten = true;
        put(new TarEntry("manifest", TarEntry.Type.FILE, 0644, 0, 0, manifestJson.length, mtime, "", 0, 0, Map.of()),
                new java.io.ByteArrayInputStream(manifestJson));
    }

    /**
     * Writes one rootfs entry; {@code content} supplies exactly {@code entry.size()} bytes for a file (null
     * otherwise). Its name must be {@code rootfs} or start with {@code rootfs/}.
     */
    public void write(TarEntry entry, InputStream content) throws IOException {
        if (!manifestWritten) {
            throw new IllegalStateException("write the manifest first: appc tools expect it at the start");
        }
        if (!entry.name().equals("rootfs") && !entry.name().startsWith("rootfs/")) {
            throw new IllegalArgumentException("ACI entry outside rootfs/: " + entry.name());
        }
        put(entry, content);
    }

    /** Bytes of uncompressed tar written so far (for progress reports). */
    public long tarBytes() {
        return tarDigest.count();
    }

    /** Ends the archive, flushes the compressor, and returns the image ID and sizes. */
    public AciWriter.Result finish() throws IOException {
        if (!manifestWritten) {
            throw new IllegalStateException("an ACI needs its manifest");
        }
        finished = true;
        tar.close(); // writes the end-of-archive blocks, finishes the compressor; the target stays open
        return new AciWriter.Result(ImageId.ofDigest(tarDigest.digest()), tarDigest.count(), fileCounter.count());
    }

    /** Abandons an unfinished archive (the caller discards what was written); does not close the target. */
    @Override
    public void close() {
        if (!finished) {
            tarDigest.abort();
            if (compressor instanceof AbortableOutputStream abortable) {
                abortable.abort(); // stop compression threads or the xz process; the output is discarded anyway
            }
            tarDigest.awaitAbort();
        }
        finished = true;
    }

    private void put(TarEntry entry, InputStream content) throws IOException {
        if (finished) {
            throw new IllegalStateException("the archive is finished");
        }
        tar.write(entry, content);
    }
}
