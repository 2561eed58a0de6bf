package dev.jetpack.engine.io;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Reads the mount table of this process, mounts overlays and unmounts, for code that must leave no mount behind. */
public final class Mounts {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
    private static final int MNT_DETACH = 2;

    private Mounts() {
    }

    /** Every mount point of this process's mount namespace, in mount table order. */
    public static List<Path> mountPoints() throws IOException {
        List<Path> points = new ArrayList<>();
        for (String line : Files.readAllLines(MOUNTINFO)) {
            String[] fields = line.split(" ");
            if (fields.length > 4) {
                points.add(Path.of(unescape(fields[4])));
            }
        }
        return points;
    }

    /** The mount points whose file system type is {@code fstype} (e.g. {@code cgroup2}). */
    public static List<Path> mountPointsOfType(String fstype) throws IOException {
        List<Path> points = new ArrayList<>();
        for (String line : Files.readAllLines(MOUNTINFO)) {
            String[] fields = line.split(" ");
            int separator = java.util.Arrays.asList(fields).indexOf("-");
            if (separator > 4 && separator + 1 < fields.length && fields[separator + 1].equals(fstype)) {
                points.add(Path.of(unescape(fields[4])));
            }
        }
        return points;
    }

    /** True when {@code path} itself is a mount point. */
    public static boolean isMountPoint(Path path) throws IOException {
        Path absolute = path.toAbsolutePath().normalize();
        return mountPoints().contains(absolute);
    }

    /** The mount points at or below {@code directory}, deepest first (the order in which to unmount them). */
    public static List<Path> mountPointsUnder(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath().normalize();
        return mountPoints().stream()
                .filter(point -> point.startsWith(absolute))
                .distinct()
                .sorted(Comparator.comparingInt(Path::getNameCount).reversed())
                .toList();
    }

    /**
     * Unmounts everything at or below {@code directory}, deepest first. A mount that is busy (a process still
     * has files open in it) is detached lazily so that the tree can be deleted now and the kernel frees the
     * mount once its last user goes.
     */
    public static void unmountAllUnder(Path directory) throws IOException {
        for (Path point : mountPointsUnder(directory)) {
            unmount(point);
        }
        List<Path> left = mountPointsUnder(directory);
        if (!left.isEmpty()) {
            throw new IOException("mounts are still present below " + directory + " after unmounting: " + left);
        }
    }

    /**
     * Mounts an overlay at {@code target} with the given option string ({@code lowerdir=...,upperdir=...}), with
     * the mount call itself where it is bound, else with {@code mount -t overlay}.
     */
    public static void mountOverlay(String options, Path target) throws IOException {
        if (LibC.UNAVAILABLE != null) {
            HostCommand.check(List.of("mount", "-t", "overlay", "overlay", "-o", options, target.toString()));
            return;
        }
        try {
            LibC.mount(NativeLibC.cString("overlay", NativeLibC.FILE_NAMES), NativeLibC.cPath(target),
                    NativeLibC.cString("overlay", NativeLibC.FILE_NAMES), 0L,
                    NativeLibC.cString(options, NativeLibC.FILE_NAMES));
        } catch (LastErrorException e) {
            throw new IOException("mount -t overlay -o " + options + " " + target + " failed: " + errno(e), e);
        }
    }

    /**
     * Unmounts one mount point, falling back to a lazy unmount when it is busy. The call itself where it is
     * bound (no process per mount: a build unmounts several), else {@code umount}.
     */
    public static void unmount(Path point) throws IOException {
        if (LibC.UNAVAILABLE != null) {
            unmountWithTool(point);
            return;
        }
        try {
            LibC.umount2(NativeLibC.cPath(point), 0);
            return;
        } catch (LastErrorException e) {
            if (!isMountPoint(point)) {
                return;
            }
            try {
                LibC.umount2(NativeLibC.cPath(point), MNT_DETACH);
            } catch (LastErrorException lazy) {
                if (isMountPoint(point)) {
                    throw new IOException("cannot unmount " + point + ": " + errno(e) + "; lazily: " + errno(lazy),
                            lazy);
                }
            }
        }
    }

    private static void unmountWithTool(Path point) throws IOException {
        HostCommand.Result result = HostCommand.run(List.of("umount", point.toString()));
        if (result.succeeded() || !isMountPoint(point)) {
            return;
        }
        HostCommand.Result lazy = HostCommand.run(List.of("umount", "-l", point.toString()));
        if (!lazy.succeeded() && isMountPoint(point)) {
            throw new IOException("cannot unmount " + point + ": " + result.describe() + "; " + lazy.describe());
        }
    }

    private static String errno(LastErrorException e) {
        return switch (e.getErrorCode()) {
            case 1 -> "not permitted (EPERM: mounting needs root or CAP_SYS_ADMIN)";
            case 16 -> "busy (EBUSY)";
            case 19 -> "no such file system type (ENODEV: this kernel has no overlayfs)";
            case 22 -> "invalid argument (EINVAL: an option this kernel's overlayfs does not take, or layers it"
                    + " refuses; the kernel log says which)";
            default -> "errno " + e.getErrorCode();
        };
    }

    /** mount(2) and umount2(2), bound on first use ({@link NativeLibC}). */
    private static final class LibC {
        private static final Throwable UNAVAILABLE = NativeLibC.bind(LibC.class);

        static native int mount(byte[] source, byte[] target, byte[] type, long flags, byte[] data)
                throws LastErrorException;

        static native int umount2(byte[] target, int flags) throws LastErrorException;
    }

    /* mountinfo escapes space, tab, newline and backslash as \ooo octal. */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1) && isOctal(field, i + 2) && isOctal(field, i + 3)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int index) {
        return index < s.length() && s.charAt(index) >= '0' && s.charAt(index) <= '7';
    }
}
