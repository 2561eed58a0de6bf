package dev.jetpack.engine.aci;

import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes an ACI from a manifest and a directory tree in one pass: tree → tar → SHA-512 (the image ID) →
 * compressor → file. The tree is walked in byte-wise name order, so the archive does not depend on the order the
 * file system lists entries in; with {@link WriterOptions#fixedTimestamp()} set, the same inputs give the same
 * bytes.
 *
 * <p>Kept per entry: mode (with setuid, setgid, sticky), numeric uid/gid, mtime, symlinks, hard links (first
 * occurrence as a file, later ones as links to it), character and block devices, fifos, and {@code user.*}
 * extended attributes (without overlayfs' own). Sockets cannot be stored in tar and are skipped with a warning.
 */
public final class AciWriter {
    private static final long PROGRESS_STEP = 8L * 1024 * 1024;
    private static final Comparator<String> BYTEWISE = AciWriter::compareCodePoints;

    private AciWriter() {
    }

    /**
     * The written image: its ID, the uncompressed tar size, the size of the compressed output, and how many
     * compressed blocks it has and how many of them came from the block cache (0 and 0 when uncompressed).
     */
    public record Result(ImageId id, long tarSize, long fileSize, int blocks, int blocksReused) {
        /** A result without block figures (an uncompressed image, or a writer that does not cut blocks). */
        public Result(ImageId id, long tarSize, long fileSize) {
            this(id, tarSize, fileSize, 0, 0);
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
                    : Instant.now().truncatedTo(ChronoUnit.SECONDS);
            tar.writeManifest(manifestJson, manifestTime);
            new TreeWalk(rootfsDir, tar, options, task).run();
            Result result = tar.finish();
            options.progress().progress(task, result.tarSize(), result.tarSize());
            return result;
        } finally {
            options.progress().finished(task);
        }
    }

    /** Compares names by Unicode code point, which is the byte order of their UTF-8 encoding. */
    static int compareCodePoints(String a, String b) {
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

    /** Walks one tree depth-first, children sorted by name, and writes each entry. */
    private static final class TreeWalk {
        private static final int S_IFMT = 0170000;
        private static final int S_IFSOCK = 0140000;
        private static final int S_IFLNK = 0120000;
        private static final int S_IFREG = 0100000;
        private static final int S_IFBLK = 0060000;
        private static final int S_IFDIR = 0040000;
        private static final int S_IFCHR = 0020000;
        private static final int S_IFIFO = 0010000;
        private static final String ATTRIBUTES = "unix:mode,ino,dev,rdev,nlink,uid,gid,size,lastModifiedTime";

        private final Path root;
        private final AciTarWriter tar;
        private final WriterOptions options;
        private final String task;
        /** (device, inode) of files with several links → the archive name of the first one written. */
        private final Map<List<Long>, String> hardLinks = new HashMap<>();
        private long nextProgress = PROGRESS_STEP;

        TreeWalk(Path root, AciTarWriter tar, WriterOptions options, String task) {
            this.root = root;
            this.tar = tar;
            this.options = options;
            this.task = task;
        }

        void run() throws IOException {
            visit(root, Path.of(""), "rootfs");
        }

        /** @param relative {@code path} relative to the root, built along the walk (cheaper than relativize) */
        private void visit(Path path, Path relative, String name) throws IOException {
            Map<String, Object> attributes;
            try {
                attributes = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                throw new JetpackException("'" + path + "' disappeared while the image was being written: make sure"
                        + " nothing changes the tree during the image build.", e);
            }
            int rawMode = (Integer) attributes.get("mode");
            int format = rawMode & S_IFMT;
            if (format == S_IFSOCK) {
                options.log().warn("Skipping socket " + path + ": tar cannot store sockets; the program that uses it"
                        + " creates it at run time.");
                return;
            }
            long uid = options.ownership() == Ownership.ROOT ? 0 : (Integer) attributes.get("uid");
            long gid = options.ownership() == Ownership.ROOT ? 0 : (Integer) attributes.get("gid");
            Instant mtime = options.fixedTimestamp() != null ? options.fixedTimestamp()
                    : ((FileTime) attributes.get("lastModifiedTime")).toInstant();
            int mode = rawMode & 07777;

            if (format != S_IFDIR && (Integer) attributes.get("nlink") > 1) {
                List<Long> key = List.of((Long) attributes.get("dev"), (Long) attributes.get("ino"));
                String first = hardLinks.putIfAbsent(key, name);
                if (first != null) {
                    tar.write(new TarEntry(name, TarEntry.Type.HARDLINK, mode, uid, gid, 0, mtime, first, 0, 0,
                            Map.of()), null);
                    return;
                }
            }
            switch (format) {
                case S_IFDIR:
                    tar.write(new TarEntry(name, TarEntry.Type.DIRECTORY, mode, uid, gid, 0, mtime, "", 0, 0,
                            userXattrs(path)), null);
                    for (String child : sortedChildren(path)) {
                        Path childRelative = relative.resolve(child);
                        if (!options.exclude().test(childRelative)) {
                            visit(path.resolve(child), childRelative, name + "/" + child);
                        }
                    }
                    break;
                case S_IFREG:
                    long size = (Long) attributes.get("size");
                    try (InputStream content = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
                        tar.write(new TarEntry(name, TarEntry.Type.FILE, mode, uid, gid, size, mtime, "", 0, 0,
                                userXattrs(path)), content);
                    }
                    break;
                case S_IFLNK:
                    tar.write(new TarEntry(name, TarEntry.Type.SYMLINK, 0777, uid, gid, 0, mtime,
                            Files.readSymbolicLink(path).toString(), 0, 0, Map.of()), null);
                    break;
                case S_IFCHR:
                case S_IFBLK:
                    long rdev = (Long) attributes.get("rdev");
                    tar.write(new TarEntry(name, format == S_IFCHR ? TarEntry.Type.CHAR_DEVICE
                            : TarEntry.Type.BLOCK_DEVICE, mode, uid, gid, 0, mtime, "", major(rdev), minor(rdev),
                            Map.of()), null);
                    break;
                case S_IFIFO:
                    tar.write(new TarEntry(name, TarEntry.Type.FIFO, mode, uid, gid, 0, mtime, "", 0, 0, Map.of()),
                            null);
                    break;
                default:
                    options.log().warn("Skipping " + path + ": unknown file type " + Integer.toOctalString(format));
            }
            if (tar.tarBytes() >= nextProgress) {
                options.progress().progress(task, tar.tarBytes(), -1);
                nextProgress = tar.tarBytes() + PROGRESS_STEP;
            }
        }

        private static List<String> sortedChildren(Path dir) throws IOException {
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
                for (Path child : children) {
                    names.add(child.getFileName().toString());
                }
            }
            names.sort(BYTEWISE);
            return names;
        }

        /**
         * The {@code user.*} attributes NIO can read (Linux allows them on files and directories only, and reading
         * them on a fifo would open it), without overlayfs' own {@code user.overlay.*}.
         */
        private static Map<String, byte[]> userXattrs(Path path) throws IOException {
            UserDefinedFileAttributeView view = Files.getFileAttributeView(path, UserDefinedFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (view == null) {
                return Map.of();
            }
            List<String> names;
            try {
                names = view.list();
            } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
                return Map.of(); // the file system has no user xattrs
            }
            Map<String, byte[]> result = new TreeMap<>();
            for (String attr : names) {
                String full = "user." + attr;
                if (TarEntry.isOverlayAttribute(full)) {
                    continue;
                }
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(view.size(attr));
                view.read(attr, buffer);
                buffer.flip();
                byte[] value = new byte[buffer.remaining()];
                buffer.get(value);
                result.put(full, value);
            }
            return result;
        }

        /** Linux's encoding of device numbers in st_rdev (glibc gnu_dev_major/minor). */
        static int major(long rdev) {
            return (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
        }

        static int minor(long rdev) {
            return (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
        }
    }
}
