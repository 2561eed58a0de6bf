package dev.jetpack.engine.oci;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.aci.AciWriter;
import dev.jetpack.engine.aci.TarEntry;
import dev.jetpack.engine.aci.TarStreamWriter;
import dev.jetpack.engine.aci.TreeWalk;
import dev.jetpack.engine.aci.WriterOptions;
import dev.jetpack.engine.aci.compress.AbortableOutputStream;
import dev.jetpack.engine.io.BackgroundDigestingOutputStream;
import dev.jetpack.engine.io.CountingOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Map;

/**
 * Writes one {@link LayerSource} into a layout as a layer blob in one pass: tree → tar → SHA-256 (the diff ID, on
 * a thread of its own) → compressor → blob (digested again by the layout). Entries come from {@link TreeWalk} (owners, modes, times, xattrs,
 * hard links and devices as stored; names sorted), in the tar dialect of {@link TarStreamWriter}, so the same tree
 * gives the same bytes. Names are relative ({@code etc/passwd}) with no entry for the root, as docker and Jib write
 * layers. Whiteouts are empty files {@code .wh.NAME}, owned by 0:0 with time 0, placed where their name sorts.
 */
final class LayerTarWriter {
    private static final int BUFFER = 64 * 1024;
    private static final String WHITEOUT_PREFIX = ".wh.";
    private static final long PROGRESS_STEP = 8L * 1024 * 1024;

    private final LayerCompression compression;
    private final int threads;
    private final EngineLog log;
    private final ProgressListener progress;
    private final String task;
    /** File bytes written so far, over all layers of this writer: what the progress reports. */
    private long contentBytes;
    private long nextProgress = PROGRESS_STEP;

    /** @param task names the export in progress reports */
    LayerTarWriter(LayerCompression compression, int threads, EngineLog log, ProgressListener progress, String task) {
        this.compression = compression;
        this.threads = threads;
        this.log = log;
        this.progress = progress;
        this.task = task;
    }

    /** A written layer: its blob and the digest of its uncompressed tar. */
    record Layer(Descriptor blob, Digest diffId) {
    }

    Layer write(LayerSource source, OciLayout layout) throws IOException {
        Digest[] diffId = new Digest[1];
        Descriptor blob = layout.putBlob(compression.mediaType(), out -> diffId[0] = writeTar(source, out));
        return new Layer(blob, diffId[0]);
    }

    /** Writes the layer's compressed tar to {@code blob} and returns the SHA-256 of the uncompressed tar. */
    private Digest writeTar(LayerSource source, OutputStream blob) throws IOException {
        OutputStream compressed = compression.compression().compress(
                new BufferedOutputStream(new CountingOutputStream(blob), BUFFER), -1, threads);
        // Hashing the tar costs as much as producing it: a second thread does it and feeds the compressor.
        BackgroundDigestingOutputStream digesting = new BackgroundDigestingOutputStream(compressed, Digest.newSha256());
        boolean done = false;
        try {
            TarStreamWriter tar = new TarStreamWriter(digesting);
            Deque<String> whiteouts = new ArrayDeque<>(source.whiteouts().stream().map(LayerTarWriter::whiteoutName)
                    .sorted(LayerTarWriter::treeOrder).toList());
            WriterOptions walk = WriterOptions.builder().log(log)
                    .exclude(path -> source.included().map(included -> !included.contains(path.toString())).orElse(false))
                    .build();
            TreeWalk.walk(source.tree(), "", walk, (entry, content, status) -> {
                while (!whiteouts.isEmpty() && treeOrder(whiteouts.peekFirst(), entry.name()) < 0) {
                    writeWhiteout(tar, whiteouts.removeFirst());
                }
                tar.write(entry, content);
                contentBytes += entry.size();
                if (contentBytes >= nextProgress) {
                    progress.progress(task, contentBytes, -1);
                    nextProgress = contentBytes + PROGRESS_STEP;
                }
            });
            while (!whiteouts.isEmpty()) {
                writeWhiteout(tar, whiteouts.removeFirst());
            }
            tar.close(); // ends the tar and, through the digesting stream, finishes the compressor
            done = true;
            return new Digest("sha256", HexFormat.of().formatHex(digesting.digest()));
        } finally {
            if (!done) { // the blob is discarded: stop the digest and compression threads
                digesting.abort();
                if (compressed instanceof AbortableOutputStream abortable) {
                    abortable.abort();
                }
                digesting.awaitAbort();
            }
        }
    }

    private static void writeWhiteout(TarStreamWriter tar, String name) throws IOException {
        tar.write(new TarEntry(name, TarEntry.Type.FILE, 0644, 0, 0, 0, Instant.EPOCH, "", 0, 0,
                Map.of()), InputStream.nullInputStream());
    }

    /** {@code etc/motd} → {@code etc/.wh.motd}: the OCI whiteout that deletes it from the layers below. */
    static String whiteoutName(String deleted) {
        int slash = deleted.lastIndexOf('/');
        return deleted.substring(0, slash + 1) + WHITEOUT_PREFIX + deleted.substring(slash + 1);
    }

    /** The order of a depth-first walk with sorted children: path components compared one by one. */
    static int treeOrder(String a, String b) {
        String[] left = a.split("/");
        String[] right = b.split("/");
        for (int i = 0; i < Math.min(left.length, right.length); i++) {
            int byName = AciWriter.compareCodePoints(left[i], right[i]);
            if (byName != 0) {
                return byName;
            }
        }
        return Integer.compare(left.length, right.length);
    }
}
