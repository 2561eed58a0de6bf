package dev.jetpack.engine.oci;

import dev.jetpack.engine.aci.AciFormatException;
import dev.jetpack.engine.aci.ArchivePaths;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.ExpansionLimitInputStream;
import dev.jetpack.engine.aci.ReaderOptions;
import dev.jetpack.engine.aci.TarEntry;
import dev.jetpack.engine.aci.TarReader;
import dev.jetpack.engine.aci.TreeExtractor;
import dev.jetpack.engine.io.CountingInputStream;
import dev.jetpack.engine.io.FileTrees;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Applies OCI layers, base first, to one directory tree (image-spec {@code layer.md}), with the same safety rules
 * as ACI extraction: names through {@link ArchivePaths}, entries created by {@link TreeExtractor} (never through
 * a link), devices by the {@link ReaderOptions#devices()} policy, the archive read by {@link TarReader} behind an
 * {@link ExpansionLimitInputStream} whose limits count all layers together.
 *
 * <p>Whiteouts: {@code .wh.NAME} deletes NAME of the lower layers; {@code .wh..wh..opq} hides every lower child
 * of its directory and applies before the layer's own entries wherever it appears in the layer (this layer's
 * entries under it stay). A bare {@code .wh.}, a whiteout of {@code .} or {@code ..}, a whiteout and an entry of
 * the same path in one layer, a duplicate path, and any entry or whiteout whose parent is a link or a file in the
 * tree are refused. A directory over a directory takes the new attributes and keeps the children; anything else
 * over an existing path replaces it. A directory whose children change without the layer listing it keeps its
 * modification time, as {@code umoci unpack} does.
 */
public final class LayerApplier {
    static final String WHITEOUT_PREFIX = ".wh.";
    static final String OPAQUE = ".wh..wh..opq";
    private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};

    private final Path root;
    private final ReaderOptions options;
    private long uncompressedBytes;

    /** @param root the tree the layers build; it must exist (the first layer goes into an empty directory) */
    public LayerApplier(Path root, ReaderOptions options) {
        this.root = root;
        this.options = options;
    }

    /**
     * Applies one layer read from {@code blob} (gzip or uncompressed; zstd is refused) and reads the blob to its
     * end, so that a verifying stream checks its digest.
     *
     * @return the layer's diff ID: the sha256 of the uncompressed tar
     * @throws AciFormatException when an entry breaks a rule (the message names the entry)
     */
    public Digest apply(InputStream blob) throws IOException {
        CountingInputStream compressed = new CountingInputStream(blob);
        BufferedInputStream buffered = new BufferedInputStream(compressed, 64 * 1024);
        buffered.mark(ZSTD_MAGIC.length);
        byte[] head = buffered.readNBytes(ZSTD_MAGIC.length);
        buffered.reset();
        if (java.util.Arrays.equals(head, ZSTD_MAGIC)) {
            throw new OciFormatException("the layer is compressed with zstd, which jetpack does not read: copy the"
                    + " image with gzip layers (e.g. skopeo copy --dest-compress-format gzip) and use that copy");
        }
        Compression compression = Compression.detect(buffered);
        CountingInputStream tarCount = new CountingInputStream(compression.decompress(buffered));
        MessageDigest sha256 = Digest.newSha256();
        ExpansionLimitInputStream tar = new ExpansionLimitInputStream(new DigestInputStream(tarCount, sha256),
                tarCount, compressed, options.maxUncompressedBytes() - uncompressedBytes, options);
        Layer layer = new Layer(new TreeExtractor(root, options.restoreOwnership(), options.log()));
        TarReader reader = new TarReader(tar);
        TarEntry entry;
        try {
            while ((entry = reader.next()) != null) {
                layer.accept(entry, reader.content());
            }
        } catch (TreeExtractor.ArchiveReadException e) {
            throw e.io();
        }
        tar.drain();
        buffered.transferTo(java.io.OutputStream.nullOutputStream());
        uncompressedBytes += tarCount.count();
        layer.finish();
        return Digest.ofSha256(sha256);
    }

    /** The state of one layer being applied. */
    private final class Layer {
        private final TreeExtractor extractor;
        /** Paths the layer names (entries, whiteout markers and whiteout targets): each at most once. */
        private final Set<String> listed = new HashSet<>();
        /** Paths that are this layer's: its entries and every directory above them; an opaque whiteout keeps these. */
        private final Set<String> own = new HashSet<>();
        /** Directories this layer created without an entry for them. */
        private final Set<String> implicit = new HashSet<>();
        /** Lower directories whose children change, with their modification time before the change. */
        private final Map<String, FileTime> parentTimes = new HashMap<>();

        Layer(TreeExtractor extractor) {
            this.extractor = extractor;
        }

        void accept(TarEntry entry, InputStream content) throws IOException {
            String name = entry.name();
            options.requireDeclaredSizeWithinLimit(entry);
            String path = ArchivePaths.normalize(name, name);
            String parent = parentOf(path);
            String base = path.substring(parent.isEmpty() ? 0 : parent.length() + 1);
            if (base.startsWith(WHITEOUT_PREFIX)) {
                claim(path, name);
                if (base.equals(OPAQUE)) {
                    opaque(parent, name);
                } else {
                    whiteout(parent, base.substring(WHITEOUT_PREFIX.length()), name);
                }
                return;
            }
            if (path.isEmpty()) {
                if (entry.type() != TarEntry.Type.DIRECTORY) {
                    throw AciFormatException.forEntry(name, "the layer's top entry must be a directory");
                }
                claim("", name);
                extractor.directory("", entry, true);
                return;
            }
            claim(path, name);
            ensureParents(path, name);
            BasicFileAttributes existing = lstat(path);
            if (existing != null && own.contains(path)) {
                // a directory that holds earlier entries of this layer (or that its opaque whiteout kept)
                if (entry.type() != TarEntry.Type.DIRECTORY) {
                    throw AciFormatException.forEntry(name, "'" + path + "' is already a directory holding earlier"
                            + " entries of this layer; it cannot become a " + entry.type());
                }
                implicit.remove(path);
                extractor.directory(path, entry, true);
                return;
            }
            if (entry.type() == TarEntry.Type.DIRECTORY && existing != null && existing.isDirectory()) {
                own.add(path);
                extractor.directory(path, entry, true); // directory over directory: new attributes, children kept
                return;
            }
            String hardLinkTarget = entry.type() == TarEntry.Type.HARDLINK ? hardLinkTarget(entry) : null;
            if (entry.type() == TarEntry.Type.CHAR_DEVICE || entry.type() == TarEntry.Type.BLOCK_DEVICE) {
                options.requireDeviceAllowed(entry);
            }
            touchParent(parent);
            if (existing != null) {
                FileTrees.deleteRecursively(resolve(path)); // anything else over an existing path replaces it
            }
            own.add(path);
            switch (entry.type()) {
                case DIRECTORY -> extractor.directory(path, entry, false);
                case FILE -> extractor.file(path, entry, content, name);
                case SYMLINK -> extractor.symlink(path, entry);
                case HARDLINK -> extractor.hardLink(path, hardLinkTarget);
                case CHAR_DEVICE, BLOCK_DEVICE, FIFO -> extractor.special(path, entry);
                default -> throw new AssertionError(entry.type());
            }
        }

        private void claim(String path, String name) {
            if (!listed.add(path)) {
                throw AciFormatException.forEntry(name, "'" + (path.isEmpty() ? "." : path) + "' is named twice in"
                        + " one layer (two entries, or a whiteout and an entry of the same path): a layer names"
                        + " each path once, so that nothing depends on the order of its entries");
            }
        }

        /** {@code .wh.NAME}: NAME of the lower layers goes. */
        private void whiteout(String parent, String target, String name) throws IOException {
            if (target.isEmpty() || target.equals(".") || target.equals("..")) {
                throw AciFormatException.forEntry(name, "a whiteout must name an entry: '" + WHITEOUT_PREFIX + target
                        + "' names " + (target.isEmpty() ? "nothing" : "'" + target + "'")
                        + ", which cannot be deleted");
            }
            String path = parent.isEmpty() ? target : parent + "/" + target;
            claim(path, name);
            if (own.contains(path)) {
                // a directory that earlier entries of this layer are in: the whiteout would delete them
                throw AciFormatException.forEntry(name, "the whiteout names '" + path + "', which holds earlier"
                        + " entries of this layer: a whiteout deletes only what the layers below have");
            }
            if (!parentsAreDirectories(path, name)) {
                return; // nothing below a missing directory to delete
            }
            if (lstat(path) != null) {
                touchParent(parent);
                FileTrees.deleteRecursively(resolve(path));
            }
        }

        /** {@code .wh..wh..opq}: every lower child of {@code directory} goes; this layer's own entries stay. */
        private void opaque(String directory, String name) throws IOException {
            if (!parentsAreDirectories(directory.isEmpty() ? OPAQUE : directory + "/" + OPAQUE, name)) {
                return;
            }
            own.add(directory);
            hideLower(directory);
        }

        private void hideLower(String directory) throws IOException {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(resolve(directory))) {
                for (Path child : children) {
                    String path = directory.isEmpty() ? child.getFileName().toString()
                            : directory + "/" + child.getFileName();
                    if (!own.contains(path)) {
                        touchParent(directory);
                        FileTrees.deleteRecursively(child);
                    } else if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                        hideLower(path);
                    }
                }
            }
        }

        /** Creates missing parents; refuses a parent that is a link or a file in the tree. */
        private void ensureParents(String path, String name) throws IOException {
            walkParents(path, name, true);
        }

        /** False when a parent is missing; refuses a parent that is a link or a file. */
        private boolean parentsAreDirectories(String path, String name) throws IOException {
            return walkParents(path, name, false);
        }

        /**
         * Checks each parent of {@code path}, top first: a link or file is refused; a missing one is created (and
         * counted as this layer's) when {@code create}, else the walk answers false.
         */
        private boolean walkParents(String path, String name, boolean create) throws IOException {
            int slash = path.indexOf('/');
            while (slash >= 0) {
                String directory = path.substring(0, slash);
                BasicFileAttributes attributes = lstat(directory);
                if (attributes == null) {
                    if (!create) {
                        return false;
                    }
                    touchParent(parentOf(directory));
                    extractor.implicitDirectory(directory);
                    implicit.add(directory);
                } else if (!attributes.isDirectory()) {
                    throw throughLink(name, directory, attributes);
                }
                if (create) {
                    own.add(directory);
                }
                slash = path.indexOf('/', slash + 1);
            }
            return true;
        }

        private String hardLinkTarget(TarEntry entry) throws IOException {
            String name = entry.name();
            String target = ArchivePaths.normalize(entry.linkName(), name);
            if (target.isEmpty()) {
                throw AciFormatException.forEntry(name, "hard link to the layer's top directory");
            }
            if (target.equals(ArchivePaths.normalize(name, name))) {
                throw AciFormatException.forEntry(name, "hard link to itself: it would replace the file it links to");
            }
            if (!parentsAreDirectories(target, name)) {
                throw AciFormatException.forEntry(name, "hard link to '" + entry.linkName() + "', which is not in"
                        + " the image: a hard link must point at a file of this or a lower layer");
            }
            BasicFileAttributes attributes = lstat(target);
            if (attributes == null) {
                throw AciFormatException.forEntry(name, "hard link to '" + entry.linkName() + "', which is not in"
                        + " the image: a hard link must point at a file of this or a lower layer");
            }
            if (attributes.isDirectory()) {
                throw AciFormatException.forEntry(name, "hard link to the directory '" + entry.linkName() + "'");
            }
            return target;
        }

        private AciFormatException throughLink(String name, String directory, BasicFileAttributes attributes) {
            return AciFormatException.forEntry(name, "its parent '" + directory + "' is a "
                    + (attributes.isSymbolicLink() ? "symbolic link" : "non-directory") + " in the image; entries and"
                    + " whiteouts never act through links or files, so that a layer cannot reach outside the image");
        }

        /** Remembers the time of a lower directory before its children change, to put it back at the end. */
        private void touchParent(String directory) throws IOException {
            if (listed.contains(directory) || implicit.contains(directory) || parentTimes.containsKey(directory)) {
                return;
            }
            BasicFileAttributes attributes = lstat(directory);
            if (attributes != null && attributes.isDirectory()) {
                parentTimes.put(directory, attributes.lastModifiedTime());
            }
        }

        void finish() throws IOException {
            extractor.finish();
            for (Map.Entry<String, FileTime> directory : parentTimes.entrySet()) {
                Path path = resolve(directory.getKey());
                if (!listed.contains(directory.getKey()) && Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                            .setTimes(directory.getValue(), null, null);
                }
            }
        }
    }

    private Path resolve(String relative) {
        return relative.isEmpty() ? root : root.resolve(relative);
    }

    private BasicFileAttributes lstat(String relative) throws IOException {
        try {
            return Files.readAttributes(resolve(relative), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }
}
