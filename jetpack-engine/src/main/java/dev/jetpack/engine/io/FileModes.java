package dev.jetpack.engine.io;

/**
 * The file-type bits of the mode word that the JDK's {@code unix:mode} attribute gives ({@code st_mode}, Linux's
 * values), and the permission bits beside them: one set of constants for every walk that reads that word.
 */
public final class FileModes {
    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;
    /** Permissions with setuid, setgid and sticky. */
    public static final int PERMISSIONS = 07777;

    private FileModes() {
    }

    /** The file-type bits of {@code mode}: one of the {@code S_IF*} values. */
    public static int type(int mode) {
        return mode & S_IFMT;
    }
}
