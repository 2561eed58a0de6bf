package dev.jetpack.engine.aci;

import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.io.CountingInputStream;
import dev.jetpack.engine.io.BackgroundDigestingOutputStream;
import dev.jetpack.engine.io.TeeInputStream;
import dev.jetpack.engine.io.FileTrees;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads an ACI in one pass: stream → decompressor (chosen by magic bytes) → SHA-512 (the image ID) → validation
 * → extraction. Nothing is read twice and no temporary copy is made.
 *
 * <p>The layout must be exactly one {@code manifest} file plus {@code rootfs} and entries below {@code rootfs/}
 * (a leading {@code ./} is tolerated, as the reference implementation does); no duplicates, no absolute or
 * {@code ..} paths, hard links only to earlier non-directory entries inside rootfs. An entry is never written
 * through a link: every parent of every entry must be a directory this extraction created itself. Any failure
 * removes the destination directory completely.
 */
public final class AciReader {
    /** appc manifests are a few kilobytes; a larger "manifest" is an attack on memory. */
    public static final int MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
    private static final int BUFFER = 64 * 1024;

    private AciReader() {
    }

    /**
     * What was read.
     *
     * @param id             the image ID: SHA-512 of the whole uncompressed tar, end padding included
     * @param manifestJson   the manifest bytes as stored (callers parse and validate them)
     * @param tarSize        bytes of uncompressed tar
     * @param compressedSize bytes read from the input
     * @param compression    the compression found by magic bytes
     * @param entryCount     entries in the archive (pax headers not counted)
     */
    public record Result(ImageId id, byte[] manifestJson, long tarSize, long compressedSize, Compression compression,
            long entryCount) {
    }

    /**
     * Extracts the rootfs of an ACI into {@code destinationDir}, which must not exist yet (it is created; its
     * parent too if needed). On any failure the destination is removed entirely.
     *
     * @throws AciFormatException when the archive breaks a rule (the message names the entry and the rule)
     */
    public static Result extract(InputStream in, Path destinationDir, ReaderOptions options) {
        Objects.requireNonNull(options, "options");
        if (Files.exists(destinationDir, LinkOption.NOFOLLOW_LINKS)) {
            throw new JetpackException("Cannot extract an image into " + destinationDir + ": it already exists. The"
                    + " reader only fills a new directory, so that no existing file or link can be overwritten.");
        }
        try {
            Path parent = destinationDir.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.createDirectory(destinationDir);
        } catch (IOException e) {
            throw new JetpackException("Cannot create the extraction directory " + destinationDir + ": " + e, e);
        }
        boolean done = false;
        try {
            Result result = read(in, options,
                    new TreeExtractor(destinationDir, options.restoreOwnership(), options.log()), destinationDir);
            done = true;
            return result;
        } finally {
            if (!done) {
                try {
                    FileTrees.deleteRecursively(destinationDir);
                } catch (IOException | RuntimeException e) {
                    options.log().warn("Could not remove the partly extracted " + destinationDir + ": " + e);
                }
            }
        }
    }

    /** {@link #extract(InputStream, Path, ReaderOptions)} from a file; messages name the file. */
    public static Result extract(Path aciFile, Path destinationDir, ReaderOptions options) {
        try (InputStream in = open(aciFile)) {
            return extract(in, destinationDir, options);
        } catch (AciFormatException e) {
            throw e.in(aciFile.toString());
        } catch (IOException e) {
            throw new JetpackException("Could not read " + aciFile + ": " + e, e);
        }
    }

    /** Validates an ACI and computes its ID without writing anything (the same rules as extraction). */
    public static Result inspect(InputStream in, ReaderOptions options) {
        return read(in, Objects.requireNonNull(options, "options"), null, null);
    }

    /** {@link #inspect(InputStream, ReaderOptions)} from a file; messages name the file. */
    public static Result inspect(Path aciFile, ReaderOptions options) {
        try (InputStream in = open(aciFile)) {
            return inspect(in, options);
        } catch (AciFormatException e) {
            throw e.in(aciFile.toString());
        } catch (IOException e) {
            throw new JetpackException("Could not read " + aciFile + ": " + e, e);
        }
    }

    /**
     * The paths an ACI's own {@code rootfs/} holds (relative, e.g. {@code etc/passwd}; the rootfs itself left out):
     * what a layered image adds over its dependencies. Reads headers only; meant for stored ACIs, which were
     * checked on import.
     */
    public static java.util.SortedSet<String> rootfsPaths(Path aciFile) {
        java.util.SortedSet<String> paths = new java.util.TreeSet<>();
        try (InputStream raw = open(aciFile);
             BufferedInputStream buffered = new BufferedInputStream(raw, BUFFER);
             InputStream tarStream = Compression.detect(buffered).decompress(buffered)) {
            TarReader tar = new TarReader(tarStream);
            TarEntry entry;
            while ((entry = tar.next()) != null) {
                String name = ArchivePaths.normalize(entry.name(), entry.name());
                if (name.startsWith("rootfs/")) {
                    paths.add(name.substring("rootfs/".length()));
                }
            }
            return paths;
        } catch (IOException e) {
            throw new JetpackException("Could not read the entries of " + aciFile + ": " + e, e);
        }
    }

    private static InputStream open(Path file) throws IOException {
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new JetpackException("The image file " + file + " does not exist.", e);
        }
    }

    private static Result read(InputStream raw, ReaderOptions options, TreeExtractor extractor, Path destination) {
        CountingInputStream compressedCount = new CountingInputStream(raw);
        Layout layout = new Layout(options, extractor);
        String task = destination == null ? "Reading image" : "Extracting image to " + destination;
        String current = "(start of archive)";
        // The image ID is hashed on a thread of its own while this one unpacks: SHA-512 costs about as much as
        // writing the files, so doing both in turn made extraction slower than tar -x.
        BackgroundDigestingOutputStream imageId = new BackgroundDigestingOutputStream(OutputStream.nullOutputStream());
        try {
            BufferedInputStream buffered = new BufferedInputStream(compressedCount, BUFFER);
            Compression compression;
            InputStream decompressed;
            try {
                compression = Compression.detect(buffered);
                decompressed = compression.decompress(buffered); // reads the compressed stream's header
            } catch (IOException e) {
                throw new TreeExtractor.ArchiveReadException(e);
            }
            CountingInputStream tarCount = new CountingInputStream(decompressed);
            TeeInputStream tarStream = new TeeInputStream(tarCount, imageId);
            ExpansionLimitInputStream limited = new ExpansionLimitInputStream(tarStream, tarCount, compressedCount,
                    options.maxUncompressedBytes(), options);
            TarReader tar = new TarReader(new FailureTranslatingInputStream(limited));
            long nextProgress = BUFFER * 128L;
            TarEntry entry;
            while ((entry = tar.next()) != null) {
                current = entry.name();
                layout.accept(entry, tar.content());
                if (tarCount.count() >= nextProgress) {
                    options.progress().progress(task, tarCount.count(), -1);
                    nextProgress = tarCount.count() + BUFFER * 128L;
                }
            }
            current = "(end of archive)";
            new FailureTranslatingInputStream(limited).readAllBytesInto(limited);
            layout.finish();
            imageId.close();
            return new Result(ImageId.ofDigest(imageId.digest()), layout.manifest, tarCount.count(),
                    compressedCount.count(), compression, layout.entries);
        } catch (TreeExtractor.ArchiveReadException e) {
            throw AciFormatException.forEntry(current, "reading the archive failed: " + e.io()
                    + ". The data is truncated or corrupt; download or copy the archive again.", e.io());
        } catch (IOException e) {
            if (destination == null) {
                throw AciFormatException.forEntry(current, "reading the archive failed: " + e
                        + ". The data is truncated or corrupt; download or copy the archive again.", e);
            }
            String full = dev.jetpack.engine.io.DiskSpace.hint(e, destination);
            throw new JetpackException("Could not extract entry '" + current + "' into " + destination + ": " + e
                    + "." + (full.isEmpty() ? " Check the free space and permissions of the destination." : full), e);
        } finally {
            imageId.abort(); // after close() this does nothing; after a failure it ends the hashing thread
            options.progress().finished(task);
        }
    }

    /** Turns read failures of the archive stream into {@link TreeExtractor.ArchiveReadException}s, so that they are
     * told apart from failures writing the tree. */
    private static final class FailureTranslatingInputStream extends InputStream {
        private final InputStream in;

        FailureTranslatingInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() {
            try {
                return in.read();
            } catch (IOException e) {
                throw new TreeExtractor.ArchiveReadException(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw new TreeExtractor.ArchiveReadException(e);
            }
        }

        /** Reads to the end of the stream (the tar's trailing padding), so the ID covers every byte. */
        void readAllBytesInto(ExpansionLimitInputStream limited) {
            try {
                limited.drain();
            } catch (IOException e) {
                throw new TreeExtractor.ArchiveReadException(e);
            }
        }
    }

    /** Enforces the ACI layout entry by entry and hands valid entries to the extractor. */
    private static final class Layout {
        private final ReaderOptions options;
        private final TreeExtractor extractor;
        /** Paths below rootfs ("" is rootfs itself) → what this archive made them. */
        private final Map<String, TarEntry.Type> known = new HashMap<>();
        /** Normalized names of the entries the archive listed, for duplicate detection. */
        private final Set<String> listed = new HashSet<>();
        byte[] manifest;
        long entries;
        /** Content bytes the entries declare: a sparse file's holes are not in the tar, but they reach the disk. */
        long declaredBytes;

        Layout(ReaderOptions options, TreeExtractor extractor) {
            this.options = options;
            this.extractor = extractor;
        }

        void accept(TarEntry entry, InputStream content) throws IOException {
            entries++;
            String name = entry.name();
            options.requireDeclaredSizeWithinLimit(entry);
            declaredBytes += entry.size();
            if (declaredBytes > options.maxUncompressedBytes()) {
                throw AciFormatException.forEntry(name, "the archive expands to more than "
                        + options.maxUncompressedBytes() + " bytes, the limit for one image: the entries up to this"
                        + " one declare " + declaredBytes + " bytes of content (sparse files count in full, as they"
                        + " are extracted in full). Raise the limit if the image is genuine.");
            }
            String path = ArchivePaths.normalize(name, name);
            if (path.isEmpty()) {
                if (entry.type() != TarEntry.Type.DIRECTORY) {
                    throw AciFormatException.forEntry(name, "the archive's top entry must be a directory");
                }
                return; // "./": the archive's own top directory, not part of the layout
            }
            if (!listed.add(path)) {
                throw AciFormatException.forEntry(name, "duplicate entry: '" + path + "' appears more than once; an"
                        + " ACI lists every path once, so that no later entry silently replaces an earlier one");
            }
            if (path.equals("manifest")) {
                acceptManifest(entry, content);
            } else if (path.equals("rootfs")) {
                acceptRootfsEntry("", entry, content);
            } else if (path.startsWith("rootfs/")) {
                acceptRootfsEntry(path.substring("rootfs/".length()), entry, content);
            } else {
                throw AciFormatException.forEntry(name, "not part of the ACI layout: an image holds only 'manifest'"
                        + " and 'rootfs/' with its contents (and 'rootfsX/...' is not inside 'rootfs/')");
            }
        }

        private void acceptManifest(TarEntry entry, InputStream content) throws IOException {
            if (entry.type() != TarEntry.Type.FILE) {
                throw AciFormatException.forEntry(entry.name(), "the manifest must be a regular file, not a "
                        + entry.type());
            }
            if (entry.size() > MAX_MANIFEST_BYTES) {
                throw AciFormatException.forEntry(entry.name(), "the manifest has " + entry.size() + " bytes, more"
                        + " than the limit of " + MAX_MANIFEST_BYTES);
            }
            byte[] bytes = content.readNBytes((int) entry.size());
            if (bytes.length != entry.size()) {
                throw AciFormatException.forEntry(entry.name(), "the archive ends inside the manifest: it is"
                        + " truncated");
            }
            manifest = bytes;
        }

        private void acceptRootfsEntry(String path, TarEntry entry, InputStream content) throws IOException {
            String name = entry.name();
            if (path.isEmpty()) {
                if (entry.type() != TarEntry.Type.DIRECTORY) {
                    throw AciFormatException.forEntry(name, "rootfs must be a directory, not a " + entry.type());
                }
                known.put("", TarEntry.Type.DIRECTORY);
                if (extractor != null) {
                    extractor.directory("", entry, true);
                }
                return;
            }
            ensureParents(path, name);
            TarEntry.Type previous = known.get(path);
            if (previous != null) {
                // only an implicit parent directory can be here (explicit repeats are duplicates)
                if (entry.type() != TarEntry.Type.DIRECTORY) {
                    throw AciFormatException.forEntry(name, "'" + path + "' is already a directory holding earlier"
                            + " entries; it cannot become a " + entry.type());
                }
                if (extractor != null) {
                    extractor.directory(path, entry, true);
                }
                return;
            }
            switch (entry.type()) {
                case DIRECTORY:
                    known.put(path, TarEntry.Type.DIRECTORY);
                    if (extractor != null) {
                        extractor.directory(path, entry, false);
                    }
                    break;
                case FILE:
                    known.put(path, TarEntry.Type.FILE);
                    if (extractor != null) {
                        extractor.file(path, entry, content, name);
                    }
                    break;
                case SYMLINK:
                    known.put(path, TarEntry.Type.SYMLINK);
                    if (extractor != null) {
                        extractor.symlink(path, entry);
                    }
                    break;
                case HARDLINK:
                    String target = hardLinkTarget(entry);
                    known.put(path, known.get(target));
                    if (extractor != null) {
                        extractor.hardLink(path, target);
                    }
                    break;
                case CHAR_DEVICE:
                case BLOCK_DEVICE:
                    options.requireDeviceAllowed(entry);
                    known.put(path, entry.type());
                    if (extractor != null) {
                        extractor.special(path, entry);
                    }
                    break;
                case FIFO:
                    known.put(path, TarEntry.Type.FIFO);
                    if (extractor != null) {
                        extractor.special(path, entry);
                    }
                    break;
                default:
                    throw new AssertionError(entry.type());
            }
        }

        /** Every parent must be a directory of this archive; missing ones are created, links are refused. */
        private void ensureParents(String path, String name) throws IOException {
            if (!known.containsKey("")) {
                known.put("", TarEntry.Type.DIRECTORY); // rootfs itself is the destination, already there
            }
            int slash = path.indexOf('/');
            while (slash >= 0) {
                String parent = path.substring(0, slash);
                TarEntry.Type type = known.get(parent);
                if (type == null) {
                    known.put(parent, TarEntry.Type.DIRECTORY);
                    if (extractor != null) {
                        extractor.implicitDirectory(parent);
                    }
                } else if (type != TarEntry.Type.DIRECTORY) {
                    throw AciFormatException.forEntry(name, "its parent 'rootfs/" + parent + "' is a " + type
                            + " in this archive; entries are never written through links or files, so that an"
                            + " archive cannot reach outside its destination");
                }
                slash = path.indexOf('/', slash + 1);
            }
        }

        private String hardLinkTarget(TarEntry entry) {
            String name = entry.name();
            String target = ArchivePaths.normalize(entry.linkName(), name);
            if (!target.startsWith("rootfs/")) {
                throw AciFormatException.forEntry(name, "hard link to '" + entry.linkName() + "', which is outside"
                        + " rootfs/; hard links may only point at files of the image");
            }
            String relative = target.substring("rootfs/".length());
            TarEntry.Type type = known.get(relative);
            if (type == null || !listed.contains(target)) {
                throw AciFormatException.forEntry(name, "hard link to '" + entry.linkName() + "', which is not an"
                        + " earlier entry of the archive; a hard link must follow the file it links to");
            }
            if (type == TarEntry.Type.DIRECTORY) {
                throw AciFormatException.forEntry(name, "hard link to the directory '" + entry.linkName() + "'");
            }
            return relative;
        }

        void finish() throws IOException {
            if (manifest == null) {
                throw AciFormatException.forEntry("manifest", "missing: an ACI must contain a 'manifest' file at its"
                        + " top level");
            }
            if (!known.containsKey("")) {
                throw AciFormatException.forEntry("rootfs", "missing: an ACI must contain the 'rootfs' directory");
            }
            if (extractor != null) {
                extractor.finish();
            }
        }
    }
}
