package dev.jetpack.engine.aci;

import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.io.ExtendedAttributes;
import dev.jetpack.engine.io.FileModes;
import dev.jetpack.engine.io.Symlinks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks a directory tree depth-first, children in byte-wise name order, and hands each entry to a sink as a
 * {@link TarEntry}: the one reading of a tree that ACIs and OCI layers share, so that both keep the same things.
 *
 * <p>Kept per entry: mode (with setuid, setgid, sticky), numeric uid/gid, mtime, symlinks, hard links (first
 * occurrence as a file, later ones as links to it), character and block devices, fifos, and the extended
 * attributes of every namespace ({@code security.capability}, {@code security.selinux}, {@code trusted.*},
 * {@code system.posix_acl_*}, {@code user.*}) on every kind of entry, without overlayfs' own. Sockets cannot be
 * stored in tar and are skipped with a warning.
 */
public final class TreeWalk {
/** Receives the entries; {@code content} supplies a file's bytes and is null for everything else. */
@FunctionalInterface
    public interface EntrySink {
        void write(TarEntry entry, InputStream content) throws IOException;
    }

    private static final String ATTRIBUTES = "unix:mode,ino,dev,rdev,nlink,uid,gid,size,lastModifiedTime";

    private final EntrySink sink;
    private final WriterOptions options;
    /** (device, inode) of files with several links → the archive name of the first one written. */
    private final Map<List<Long>, String> hardLinks = new HashMap<>();

    private TreeWalk(EntrySink sink, WriterOptions options) {
        this.sink = sink;
        this.options = options;
    }

    /**
     * Walks {@code root}, honouring the options' ownership, fixed timestamp and exclusions.
     *
     * @param rootName the archive name of {@code root} itself (e.g. {@code rootfs}); empty to write no entry for
     *                 the root and name its children from the top ({@code etc}, {@code etc/passwd})
     */
    public static void walk(Path root, String rootName, WriterOptions options, EntrySink sink) throws IOException {
        TreeWalk walk = new TreeWalk(sink, options);
        if (rootName.isEmpty()) {
            walk.visitChildren(root, Path.of(""), "");
        } else {
            walk.visit(root, Path.of(""), rootName);
        }
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
        int format = FileModes.type(rawMode);
        if (format == FileModes.S_IFSOCK) {
            options.log().warn("Skipping socket " + path + ": tar cannot store sockets; the program that uses it"
                    + " creates it at run time.");
            return;
        }
        // uid_t is unsigned: 4294967294 must not become -2, which tar readers refuse
        long uid = options.ownership() == Ownership.ROOT ? 0 : Integer.toUnsignedLong((Integer) attributes.get("uid"));
        long gid = options.ownership() == Ownership.ROOT ? 0 : Integer.toUnsignedLong((Integer) attributes.get("gid"));
        Instant mtime = options.fixedTimestamp() != null ? options.fixedTimestamp()
                : ((FileTime) attributes.get("lastModifiedTime")).toInstant();
        int mode = rawMode & FileModes.PERMISSIONS;

        if (format != FileModes.S_IFDIR && (Integer) attributes.get("nlink") > 1) {
            List<Long> key = List.of((Long) attributes.get("dev"), (Long) attributes.get("ino"));
            String first = hardLinks.putIfAbsent(key, name);
            if (first != null) {
                sink.write(new TarEntry(name, TarEntry.Type.HARDLINK, mode, uid, gid, 0, mtime, first, 0, 0,
                        Map.of()), null);
                return;
            }
        }
        switch (format) {
            case FileModes.S_IFDIR:
                sink.write(new TarEntry(name, TarEntry.Type.DIRECTORY, mode, uid, gid, 0, mtime, "", 0, 0,
                        xattrs(path)), null);
                visitChildren(path, relative, name + "/");
                break;
            case FileModes.S_IFREG:
                long size = (Long) attributes.get("size");
                try (InputStream content = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
                    sink.write(new TarEntry(name, TarEntry.Type.FILE, mode, uid, gid, size, mtime, "", 0, 0,
                            xattrs(path)), content);
                }
                break;
            case FileModes.S_IFLNK:
                sink.write(new TarEntry(name, TarEntry.Type.SYMLINK, 0777, uid, gid, 0, mtime,
                        Symlinks.read(path), 0, 0, xattrs(path)), null);
                break;
            case FileModes.S_IFCHR:
            case FileModes.S_IFBLK:
                long rdev = (Long) attributes.get("rdev");
                sink.write(new TarEntry(name, format == FileModes.S_IFCHR ? TarEntry.Type.CHAR_DEVICE
                        : TarEntry.Type.BLOCK_DEVICE, mode, uid, gid, 0, mtime, "", major(rdev), minor(rdev),
                        xattrs(path)), null);
                break;
            case FileModes.S_IFIFO:
                sink.write(new TarEntry(name, TarEntry.Type.FIFO, mode, uid, gid, 0, mtime, "", 0, 0,
                        xattrs(path)), null);
                break;
            default:
                options.log().warn("Skipping " + path + ": unknown file type " + Integer.toOctalString(format));
        }
    }

    /** @param prefix the archive name of {@code directory} with a trailing slash, or "" at the top */
    private void visitChildren(Path directory, Path relative, String prefix) throws IOException {
        for (String child : sortedChildren(directory)) {
            Path childRelative = relative.resolve(child);
            if (!options.exclude().test(childRelative)) {
                visit(directory.resolve(child), childRelative, prefix + child);
            }
        }
    }

    private static List<String> sortedChildren(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                names.add(child.getFileName().toString());
            }
        }
        names.sort(AciWriter::compareCodePoints);
        return names;
    }

    /**
     * The entry's own attributes, without overlayfs' ({@code trusted.overlay.*}, {@code user.overlay.*}: they
     * describe a build container's layers, and would turn files into whiteouts in a later overlay).
     */
    private static Map<String, byte[]> xattrs(Path path) throws IOException {
        Map<String, byte[]> result = ExtendedAttributes.readAll(path);
        result.keySet().removeIf(TarEntry::isOverlayAttribute);
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
