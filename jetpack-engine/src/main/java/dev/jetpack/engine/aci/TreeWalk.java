package dev.jetpack.engine.aci;

import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.io.ExtendedAttributes;
import dev.jetpack.engine.io.FileStatus;
import dev.jetpack.engine.io.FileModes;
import dev.jetpack.engine.io.Symlinks;
import dev.jetpack.engine.io.WorkerFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

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
    /**
     * Receives the entries; {@code content} supplies a file's bytes and is null for everything else, and
     * {@code source} is what the walk's {@code lstat} said of the entry's path (which tells a file seen before).
     */
    @FunctionalInterface
    public interface EntrySink {
        void write(TarEntry entry, InputStream content, FileStatus source) throws IOException;
    }

    /** Where visit() hands each entry: the queue to the thread that calls the sink. */
    @FunctionalInterface
    private interface Emitter {
        /**
         * @param file   for a regular file, the file whose bytes are its content; else null
         * @param status what lstat said of the entry's path
         */
        void emit(TarEntry entry, Path file, FileStatus status) throws IOException;
    }

    private final Emitter emit;
    private final WriterOptions options;
    /** (device, inode) of files with several links → the archive name of the first one written. */
    private final Map<FileKey, String> hardLinks = new HashMap<>();

    /** A file's identity on this machine, for hard links within one walk. */
    private record FileKey(long device, long inode) {
    }

    private TreeWalk(Emitter emit, WriterOptions options) {
        this.emit = emit;
        this.options = options;
    }

    /**
     * Walks {@code root}, honouring the options' ownership, fixed timestamp and exclusions. The walk itself
     * (stat, directory listings, extended attributes, link targets) runs on a thread of its own, a bounded queue
     * ahead of {@code sink}, which is called on this thread, in order, with each file's content opened here: the
     * walk costs about as much as the tar records the sink makes of it, and the two then overlap on a second core.
     *
     * @param rootName the archive name of {@code root} itself (e.g. {@code rootfs}); empty to write no entry for
     *                 the root and name its children from the top ({@code etc}, {@code etc/passwd})
     */
    public static void walk(Path root, String rootName, WriterOptions options, EntrySink sink) throws IOException {
        try (WalkAhead ahead = new WalkAhead(emit -> {
            TreeWalk walk = new TreeWalk(emit, options);
            if (rootName.isEmpty()) {
                walk.visitChildren(root, Path.of(""), "");
            } else {
                walk.visit(root, Path.of(""), rootName);
            }
        })) {
            ahead.drainInto(sink);
        }
    }

    /** The walk on its own thread, and the queue of its entries to the sink's thread. */
    private static final class WalkAhead implements AutoCloseable {
        private static final int QUEUED = 1024;
        private static final Item END = new Item(null, null, null);

        private record Item(TarEntry entry, Path file, FileStatus status) {
        }

        @FunctionalInterface
        interface Walk {
            void run(Emitter emit) throws IOException;
        }

        private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(QUEUED);
        private final Thread walker;
        private volatile Throwable failure;
        private volatile boolean abandoned;

        WalkAhead(Walk walk) {
            walker = new Thread(() -> {
                try {
                    walk.run((entry, file, status) -> put(new Item(entry, file, status)));
                } catch (IOException | RuntimeException | Error e) {
                    failure = e;
                } finally {
                    put(END);
                }
            }, "jetpack-tree-walk");
            walker.setDaemon(true); // never keeps a JVM alive; close() ends it in normal use
            walker.start();
        }

        /** Calls the sink with every entry, in walk order; rethrows the walk's failure as it was thrown. */
        void drainInto(EntrySink sink) throws IOException {
            while (true) {
                Item item;
                try {
                    item = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while walking the image's tree");
                }
                if (item == END) {
                    WorkerFailure.rethrow(failure);
                    return;
                }
                if (item.file() == null) {
                    sink.write(item.entry(), null, item.status());
                } else {
                    try (InputStream content = Files.newInputStream(item.file(), LinkOption.NOFOLLOW_LINKS)) {
                        sink.write(item.entry(), content, item.status());
                    }
                }
            }
        }

        /** Queues an item unless the sink's side is gone; never interrupted (nobody interrupts the walker). */
        private void put(Item item) {
            try {
                while (!abandoned && !queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                    // the sink is slow, or it failed and close() sets abandoned
                }
            } catch (InterruptedException e) {
                abandoned = true;
            }
        }

        /** Ends the walker, also when the sink failed half-way, and waits for it. */
        @Override
        public void close() {
            abandoned = true;
            queue.clear();
            try {
                walker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @param relative {@code path} relative to the root, built along the walk (cheaper than relativize) */
    private void visit(Path path, Path relative, String name) throws IOException {
        FileStatus status;
        try {
            status = FileStatus.of(path);
        } catch (NoSuchFileException e) {
            throw new JetpackException("'" + path + "' disappeared while the image was being written: make sure"
                    + " nothing changes the tree during the image build.", e);
        }
        int format = status.type();
        if (format == FileModes.S_IFSOCK) {
            options.log().warn("Skipping socket " + path + ": tar cannot store sockets; the program that uses it"
                    + " creates it at run time.");
            return;
        }
        // uid_t is unsigned (FileStatus reads it so): 4294967294 must not become -2, which tar readers refuse
        long uid = options.ownership() == Ownership.ROOT ? 0 : status.uid();
        long gid = options.ownership() == Ownership.ROOT ? 0 : status.gid();
        Instant mtime = options.fixedTimestamp() != null ? options.fixedTimestamp() : status.mtime();
        int mode = status.permissions();

        if (format != FileModes.S_IFDIR && status.nlink() > 1) {
            String first = hardLinks.putIfAbsent(new FileKey(status.device(), status.inode()), name);
            if (first != null) {
                emit.emit(new TarEntry(name, TarEntry.Type.HARDLINK, mode, uid, gid, 0, mtime, first, 0, 0,
                        Map.of()), null, status);
                return;
            }
        }
        switch (format) {
            case FileModes.S_IFDIR:
                emit.emit(new TarEntry(name, TarEntry.Type.DIRECTORY, mode, uid, gid, 0, mtime, "", 0, 0,
                        xattrs(path)), null, status);
                visitChildren(path, relative, name + "/");
                break;
            case FileModes.S_IFREG:
                long size = status.size();
                emit.emit(new TarEntry(name, TarEntry.Type.FILE, mode, uid, gid, size, mtime, "", 0, 0,
                        xattrs(path)), path, status);
                break;
            case FileModes.S_IFLNK:
                emit.emit(new TarEntry(name, TarEntry.Type.SYMLINK, 0777, uid, gid, 0, mtime,
                        Symlinks.read(path), 0, 0, xattrs(path)), null, status);
                break;
            case FileModes.S_IFCHR:
            case FileModes.S_IFBLK:
                emit.emit(new TarEntry(name, format == FileModes.S_IFCHR ? TarEntry.Type.CHAR_DEVICE
                        : TarEntry.Type.BLOCK_DEVICE, mode, uid, gid, 0, mtime, "", status.rdevMajor(),
                        status.rdevMinor(),
                        xattrs(path)), null, status);
                break;
            case FileModes.S_IFIFO:
                emit.emit(new TarEntry(name, TarEntry.Type.FIFO, mode, uid, gid, 0, mtime, "", 0, 0,
                        xattrs(path)), null, status);
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

    /**
     * The names in {@code dir}, sorted. Read with {@code File.list()}, one native call that returns the names as
     * strings: a DirectoryStream makes a Path of each child, then its name again, which was a tenth of a rebuild's
     * tree walk. Only when that call fails is the directory opened again, for the JDK's exception that says why.
     */
    private static List<String> sortedChildren(Path dir) throws IOException {
        String[] listed = dir.toFile().list();
        if (listed == null) {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
                List<String> names = new ArrayList<>();
                for (Path child : children) {
                    names.add(child.getFileName().toString());
                }
                listed = names.toArray(String[]::new); // it worked this time: the directory came back meanwhile
            }
        }
        List<String> names = Arrays.asList(listed);
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
}
