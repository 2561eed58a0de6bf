package dev.jetpack.engine.aci;

import dev.jetpack.engine.aci.compress.AbortableOutputStream;
import dev.jetpack.engine.aci.compress.BlockCompressingOutputStream;
import dev.jetpack.engine.io.BackgroundDigestingOutputStream;
import dev.jetpack.engine.io.CountingOutputStream;
import dev.jetpack.engine.io.FileStatus;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Map;

/**
 * Writes an ACI entry by entry in one pass: tar → SHA-512 (the image ID) → compressor → the caller's stream.
 * {@link AciWriter} feeds it from a directory, the base image maker from a rootfs tarball.
 *
 * <p>A compressed archive is a series of independently compressed blocks (xz streams, gzip members, bzip2 streams,
 * which every reader of those formats decodes as one file). This class knows where each entry starts in the tar
 * and lets a {@link BlockCutter} end blocks at entry boundaries, so that the blocks, and with a
 * {@link dev.jetpack.engine.aci.compress.BlockCache} their reuse, depend on the tree and never on offsets.
 *
 * <p>The tar dialect is {@link TarStreamWriter}'s; this class adds the ACI's rules (the manifest first, everything
 * else under {@code rootfs/}) and the block cuts, placed by the writer's plan of each entry.
 */
public final class AciTarWriter implements Closeable {
    private static final int BUFFER = 64 * 1024;

    private final CountingOutputStream fileCounter;
    private final BackgroundDigestingOutputStream tarDigest;
    private final TarStreamWriter tar;
    private final OutputStream compressor;
    /** Null for an uncompressed archive: there are no blocks to cut. */
    private final BlockCompressingOutputStream blocks;
    private final BlockCutter cutter;
    /** With a block cache: what each block is made of, so that a cached block is found without hashing it. */
    private final BlockRecipes recipes;
    private boolean manifestWritten;
    private boolean finished;

    private AciTarWriter(OutputStream target, WriterOptions options) throws IOException {
        fileCounter = new CountingOutputStream(target);
        OutputStream file = new BufferedOutputStream(fileCounter, BUFFER);
        Compression compression = options.compression();
        if (compression == Compression.NONE) {
            blocks = null;
            cutter = null;
            recipes = null;
            compressor = file;
        } else {
            int threads = options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
            blocks = new BlockCompressingOutputStream(file, compression.blockEncoder(options.level()),
                    options.blockCache(), threads);
            BlockSizes sizes = options.blockSizes() != null ? options.blockSizes() : compression.blockSizes();
            recipes = options.blockCache() != null ? new BlockRecipes(Instant.now()) : null;
            cutter = new BlockCutter(sizes, recipes == null ? blocks::cutAt
                    : offset -> blocks.cutAt(offset, recipes.cut(offset)));
            compressor = blocks;
        }
        // A compressor works on the bytes: on the image ID's thread, beside the tar writer. A file only stores them:
        // the tar writer's thread writes them while the image ID's thread hashes.
        tarDigest = new BackgroundDigestingOutputStream(compressor, blocks == null
                ? BackgroundDigestingOutputStream.Downstream.CALLER : BackgroundDigestingOutputStream.Downstream.WORKER);
        tar = new TarStreamWriter(tarDigest);
    }

    /**
     * Starts an ACI on {@code target}; {@link #finish()} completes it. {@code target} is never closed here. A
     * compressed archive is written as independent blocks cut at entry boundaries (see {@link BlockCutter}),
     * without a block cache.
     *
     * @param level   compression level, -1 for the compression's default
     * @param threads compression threads, or {@link Compression#ALL_CORES}
     */
    public static AciTarWriter open(OutputStream target, Compression compression, int level, int threads)
            throws IOException {
        return open(target, WriterOptions.builder().compression(compression).level(level).threads(threads).build());
    }

    /**
     * Starts an ACI on {@code target} with the compression, level, threads, block sizes and block cache of
     * {@code options}; {@link #finish()} completes it. {@code target} is never closed here.
     */
    public static AciTarWriter open(OutputStream target, WriterOptions options) throws IOException {
        return new AciTarWriter(target, options);
    }

    /** Writes the {@code manifest} entry (mode 0644, owned by 0:0). Call it once, before any rootfs entry. */
    public void writeManifest(byte[] manifestJson, Instant mtime) throws IOException {
        if (manifestWritten) {
            throw new IllegalStateException("the manifest was already written");
        }
        manifestWritten = true;
        put(new TarEntry("manifest", TarEntry.Type.FILE, 0644, 0, 0, manifestJson.length, mtime, "", 0, 0, Map.of()),
                new java.io.ByteArrayInputStream(manifestJson), null, true);
    }

    /**
     * Writes one rootfs entry; {@code content} supplies exactly {@code entry.size()} bytes for a file (null
     * otherwise). Its name must be {@code rootfs} or start with {@code rootfs/}.
     */
    public void write(TarEntry entry, InputStream content) throws IOException {
        write(entry, content, null);
    }

    /**
     * {@link #write(TarEntry, InputStream)} for an entry read from a file, which {@code source} (its lstat, made
     * before {@code content} was opened) identifies: a block of such entries that the block cache has seen is
     * found without hashing it (see {@link BlockRecipes}).
     */
    public void write(TarEntry entry, InputStream content, FileStatus source) throws IOException {
        if (!manifestWritten) {
            throw new IllegalStateException("write the manifest first: appc tools expect it at the start");
        }
        if (!entry.name().equals("rootfs") && !entry.name().startsWith("rootfs/")) {
            throw new IllegalArgumentException("ACI entry outside rootfs/: " + entry.name());
        }
        put(entry, content, source, false);
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
        long expected = tar.finalSize();
        if (tarDigest.count() != expected) {
            // the block cuts were placed by this count: a mismatch would mean the tar writer wrote records
            // that its plans did not account for
            throw new IllegalStateException("the tar has " + tarDigest.count() + " bytes where its entries account"
                    + " for " + expected);
        }
        BlockCompressingOutputStream.Stats stats = blocks != null ? blocks.stats()
                : new BlockCompressingOutputStream.Stats(0, 0, 0, 0);
        return new AciWriter.Result(ImageId.ofDigest(tarDigest.digest()), tarDigest.count(), fileCounter.count(),
                stats.blocks(), stats.reused(), stats.recognised());
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

    private void put(TarEntry entry, InputStream content, FileStatus source, boolean ownBlock) throws IOException {
        if (finished) {
            throw new IllegalStateException("the archive is finished");
        }
        TarStreamWriter.EntryPlan plan = tar.plan(entry);
        if (tarDigest.count() > tar.offset()) {
            throw new IllegalStateException("the tar is at " + tarDigest.count() + " bytes, past the entry offset "
                    + tar.offset() + " its writer counted");
        }
        if (recipes != null) {
            recipes.entry(plan, source, tar.offset(),
                    tar.offset() + plan.headerBytes() + TarStreamWriter.padded(plan.dataBytes()));
        }
        if (cutter != null) {
            cutter.entry(plan.tarName(), tar.offset(), plan.headerBytes(), plan.dataBytes(), ownBlock);
        }
        tar.write(plan, content);
    }
}
