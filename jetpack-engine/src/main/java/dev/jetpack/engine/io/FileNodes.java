package dev.jetpack.engine.io;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Device nodes, fifos, modification times and owners set by path, with the kernel calls themselves ({@code mknod},
 * {@code utimensat} with {@code AT_SYMLINK_NOFOLLOW}, {@code lchown}): the JDK has no call for the first, sets
 * times through an open file descriptor, which blocks on a fifo, may act on a device, and takes times only in a
 * long of nanoseconds (1677..2262), and sets the owner and the group in two calls. Without these calls an
 * extractor ran {@code mknod} and {@code touch}, two processes per node; a Debian rootfs has a dozen of them.
 *
 * <p>{@link #available()} is false where JNA or a call cannot be bound (glibc exports {@code mknod} since 2.33);
 * callers then use the host tools.
 */
public final class FileNodes {
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFIFO = 0010000;
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    /** Leaves the access time alone. */
    private static final long UTIME_OMIT = (1L << 30) - 2L;

    /** What a node is. */
    public enum Kind {
        CHARACTER_DEVICE(S_IFCHR), BLOCK_DEVICE(S_IFBLK), FIFO(S_IFIFO);

        private final int typeBits;

        Kind(int typeBits) {
            this.typeBits = typeBits;
        }
    }

    private FileNodes() {
    }

    /** True when the calls are bound; false means use the host tools ({@code mknod}, {@code mkfifo}, {@code touch}). */
    public static boolean available() {
        return LibC.UNAVAILABLE == null;
    }

    /**
     * Creates a node with permission bits 0600 (the caller sets mode, owner and time afterwards, as for any
     * entry); never follows a link, and fails if {@code path} exists.
     */
    public static void create(Path path, Kind kind, int major, int minor) throws IOException {
        require();
        try {
            LibC.mknod(NativeLibC.cPath(path), kind.typeBits | 0600, kind == Kind.FIFO ? 0 : device(major, minor));
        } catch (LastErrorException e) {
            throw new IOException("mknod " + path + " (" + kind + " " + major + ":" + minor + "): errno "
                    + e.getErrorCode() + (e.getErrorCode() == 1 ? " (not permitted: creating device nodes needs"
                    + " root or CAP_MKNOD; extract as root or refuse devices)" : ""), e);
        }
    }

    /** Sets the modification time of {@code path} itself (a link is not followed), leaving the access time. */
    public static void setModifiedTime(Path path, Instant time) throws IOException {
        require();
        long[] times = {0, UTIME_OMIT, time.getEpochSecond(), time.getNano()};
        try {
            LibC.utimensat(AT_FDCWD, NativeLibC.cPath(path), times, AT_SYMLINK_NOFOLLOW);
        } catch (LastErrorException e) {
            throw new IOException("utimensat " + path + " (" + time + "): errno " + e.getErrorCode(), e);
        }
    }

    /** Sets the owner and group of {@code path} itself (a link is not followed) in one call. */
    public static void setOwner(Path path, int uid, int gid) throws IOException {
        require();
        try {
            LibC.lchown(NativeLibC.cPath(path), uid, gid);
        } catch (LastErrorException e) {
            throw new IOException("lchown " + path + " (" + Integer.toUnsignedString(uid) + ":"
                    + Integer.toUnsignedString(gid) + "): errno " + e.getErrorCode(), e);
        }
    }

    /** Linux's dev_t (glibc gnu_dev_makedev): the inverse of TreeWalk's major/minor. */
    static long device(int major, int minor) {
        long ma = Integer.toUnsignedLong(major);
        long mi = Integer.toUnsignedLong(minor);
        return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
    }

    private static void require() {
        if (LibC.UNAVAILABLE != null) {
            throw NativeLibC.unavailable("create device nodes or set file times or owners", LibC.UNAVAILABLE);
        }
    }

    private static final class LibC {
        private static final Throwable UNAVAILABLE = NativeLibC.bind(LibC.class);

        static native int mknod(byte[] path, int mode, long device) throws LastErrorException;

        /** @param times {atime seconds, atime nanoseconds, mtime seconds, mtime nanoseconds}: struct timespec[2] */
        static native int utimensat(int directoryFd, byte[] path, long[] times, int flags) throws LastErrorException;

        static native int lchown(byte[] path, int uid, int gid) throws LastErrorException;
    }
}
