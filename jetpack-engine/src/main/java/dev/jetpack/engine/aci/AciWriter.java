package dev.jetpack.engine.aci;

import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Writes an ACI from a manifest and a directory tree in one pass: tree → tar → SHA-512 (the image ID) →
 * compressor → file. The tree is walked in byte-wise name order, so the archive does not depend on the order the
 * file system lists entries in; with {@link WriterOptions#fixedTimestamp()} set, the same inputs give the same
 * bytes.
 *
 * <p>What is kept per entry is {@link TreeWalk}'s rule.
 */
public final class AciWriter {
    private static final long PROGRESS_STEP = 8L * 1024 * 1024;

    /** Told of each rootfs entry after it went into the tar ({@link WriterOptions#entryListener()}). */
    @FunctionalInterface
    public interface EntryListener {
        /** @param entry the entry as the archive records it ({@link TarStreamWriter#asRecorded}); named rootfs/... */
        void written(TarEntry entry) throws IOException;

        /**
         * Called after the last entry, before the archive is complete (and, for a file, renamed into place): a
         * listener that works behind the writer finishes here, so that its failure fails the write.
         */
        default void allWritten() throws IOException {
        }
    }

    private AciWriter() {
    }

    /**
     * The written image: its ID, the uncompressed tar size, the size of the compressed output, how many compressed
     * blocks it has, how many of them came from the block cache, and how many of those the cache knew by their
     * recipe without hashing them (see {@link BlockRecipes}); the block figures are 0 when uncompressed.
     */
    public record Result(ImageId id, long tarSize, long fileSize, int blocks, int blocksReused,
                         int blocksRecognised) {
        /** A result without block figures (an uncompressed image, or a writer that does not cut blocks). */
        public Result(ImageId id, long tarSize, long fileSize) {
            this(id, tarSize, fileSize, 0, 0, 0);
        }
    }

    /**
     * Writes the ACI to {@code outputFile} atomically: a temporary sibling is renamed into place only when the
     * archive is complete, so a failure or a kill never leaves a partial image under that name.
     */
    public static Result write(byte[] manifestJson, Path rootfsDir, Path outputFile, WriterOptions options) {
        Result[] result = new Result[1];
        try {
            AtomicFiles.write(outputFile, out -> result[0] = writeTo(manifestJson, rootfsDir, out, options));
        } catch (IOException e) {
            String full = dev.jetpack.engine.io.DiskSpace.hint(e, outputFile);
            throw new JetpackException("Could not write the image " + outputFile + " from " + rootfsDir + ": " + e
                    + "." + (full.isEmpty() ? " Check the free space and permissions of the output directory." : full),
                    e);
        }
        return result[0];
    }

    /** Writes the ACI to a stream, which is flushed and left open. */
    public static Result write(byte[] manifestJson, Path rootfsDir, OutputStream out, WriterOptions options) {
        try {
            return writeTo(manifestJson, rootfsDir, out, options);
        } catch (IOException e) {
            throw new JetpackException("Could not write an image from " + rootfsDir + ": " + e, e);
        }
    }

    private static Result writeTo(byte[] manifestJson, Path rootfsDir, OutputStream out, WriterOptions options)
            throws IOException {
        if (!Files.isDirectory(rootfsDir, LinkOption.NOFOLLOW_LINKS)) {
            throw new JetpackException("The image root " + rootfsDir + " is not a directory: an ACI is made from a"
                    + " directory holding the image's file system.");
        }
        String task = "Writing image from " + rootfsDir;
        try (AciTarWriter tar = AciTarWriter.open(out, options)) {
            Instant manifestTime = options.fixedTimestamp() != null ? options.fixedTimestamp()
                    : options.manifestTimestamp() != null ? options.manifestTimestamp()
                    : Instant.now().truncatedTo(ChronoUnit.SECONDS);
            tar.writeManifest(manifestJson, manifestTime);
            long[] nextProgress = {PROGRESS_STEP};
            TreeWalk.walk(rootfsDir, "rootfs", options, (entry, content, source) -> {
                tar.write(entry, content, source);
                if (options.entryListener() != null) {
                    options.entryListener().written(TarStreamWriter.asRecorded(entry));
                }
                if (tar.tarBytes() >= nextProgress[0]) {
                    options.progress().progress(task, tar.tarBytes(), -1);
                    nextProgress[0] = tar.tarBytes() + PROGRESS_STEP;
                }
            });
            if (options.entryListener() != null) {
                options.entryListener().allWritten();
            }
            Result result = tar.finish();
            options.progress().progress(task, result.tarSize(), result.tarSize());
            return result;
        } finally {
            options.progress().finished(task);
        }
    }

    /** Compares names by Unicode code point, which is the byte order of their UTF-8 encoding. */
    public static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
