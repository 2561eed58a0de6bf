package dev.jetpack.engine.io;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

/**
 * What {@code lstat} says of a path (a link is not followed), read with one {@code statx} call where JNA binds it.
 * The JDK reaches the full mode (type, setuid, setgid, sticky), the numeric owner and the device numbers only
 * through its string-keyed {@code "unix:..."} view, which parses the attribute list and builds a map on every call:
 * three times the cost of the call itself, paid per entry by every walk of an image tree. Without JNA that view is
 * used.
 *
 * @param mode     st_mode: the type bits ({@link FileModes#type}) and the permission bits
 * @param device   the device of the file system holding it (for hard-link identity within one walk)
 * @param uid      the owner, unsigned
 * @param gid      the group, unsigned
 * @param rdevMajor for a device node, its major number; else 0
 * @param rdevMinor for a device node, its minor number; else 0
 */
public record FileStatus(int mode, long device, long inode, long nlink, long uid, long gid, long size,
                         Instant mtime, int rdevMajor, int rdevMinor) {
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    /** STATX_BASIC_STATS: type, mode, nlink, uid, gid, times, ino, size, blocks. */
    private static final int STATX_BASIC_STATS = 0x7ff;
    private static final int STATX_SIZE = 256;
    private static final int ENOENT = 2;
    private static final int ENOTDIR = 20;
    private static final String UNIX_VIEW = "unix:mode,ino,dev,rdev,nlink,uid,gid,size,lastModifiedTime";

    /** The status of {@code path} itself; a missing file is a {@link NoSuchFileException}, as from the JDK. */
    public static FileStatus of(Path path) throws IOException {
        if (LibC.UNAVAILABLE != null) {
            return fromUnixView(path);
        }
        byte[] buffer = new byte[STATX_SIZE];
        try {
            LibC.statx(AT_FDCWD, NativeLibC.cPath(path), AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buffer);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ENOENT || e.getErrorCode() == ENOTDIR) {
                throw new NoSuchFileException(path.toString());
            }
            throw new FileSystemException(path.toString(), null, "statx failed: errno " + e.getErrorCode());
        }
        ByteBuffer statx = ByteBuffer.wrap(buffer).order(ByteOrder.nativeOrder());
        return new FileStatus(Short.toUnsignedInt(statx.getShort(28)),
                (Integer.toUnsignedLong(statx.getInt(136)) << 32) | Integer.toUnsignedLong(statx.getInt(140)),
                statx.getLong(32), Integer.toUnsignedLong(statx.getInt(16)),
                Integer.toUnsignedLong(statx.getInt(20)), Integer.toUnsignedLong(statx.getInt(24)),
                statx.getLong(40), Instant.ofEpochSecond(statx.getLong(112), Integer.toUnsignedLong(statx.getInt(120))),
                statx.getInt(128), statx.getInt(132));
    }

    /**
     * The status of {@code path} itself through the JDK alone, never binding JNA: for a process that makes only a
     * few calls, such as a no-op build checking its inputs, where JNA's start-up (some 100 ms in a fresh JVM, more
     * than the JDK's view costs for thousands of entries there) would be most of the work.
     */
    public static FileStatus ofWithoutNative(Path path) throws IOException {
        return fromUnixView(path);
    }

    /** The type bits of {@link #mode()} ({@link FileModes#S_IFREG} and the others). */
    public int type() {
        return FileModes.type(mode);
    }

    /** The permission bits with setuid, setgid and sticky. */
    public int permissions() {
        return mode & FileModes.PERMISSIONS;
    }

    private static FileStatus fromUnixView(Path path) throws IOException {
        Map<String, Object> unix = Files.readAttributes(path, UNIX_VIEW, LinkOption.NOFOLLOW_LINKS);
        long rdev = (Long) unix.get("rdev");
        return new FileStatus((Integer) unix.get("mode"), (Long) unix.get("dev"), (Long) unix.get("ino"),
                (Integer) unix.get("nlink"), Integer.toUnsignedLong((Integer) unix.get("uid")),
                Integer.toUnsignedLong((Integer) unix.get("gid")), (Long) unix.get("size"),
                ((FileTime) unix.get("lastModifiedTime")).toInstant(), major(rdev), minor(rdev));
    }

    /** Linux's encoding of device numbers in st_rdev (glibc gnu_dev_major/minor). */
    static int major(long rdev) {
        return (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
    }

    static int minor(long rdev) {
        return (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
    }

    /** statx(2), bound on first use ({@link NativeLibC}); glibc has it since 2.28. */
    private static final class LibC {
        private static final Throwable UNAVAILABLE = NativeLibC.bind(LibC.class);

        static native int statx(int directoryFd, byte[] path, int flags, int mask, byte[] buffer)
                throws LastErrorException;
    }
}
