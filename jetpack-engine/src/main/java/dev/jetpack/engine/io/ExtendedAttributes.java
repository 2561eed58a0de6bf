package dev.jetpack.engine.io;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Extended attributes of every namespace ({@code user.*}, {@code security.*} such as {@code security.capability}
 * and {@code security.selinux}, {@code trusted.*}, {@code system.posix_acl_access}/{@code _default}), read and
 * written with the Linux calls {@code llistxattr}, {@code lgetxattr}, {@code lsetxattr} and {@code lremovexattr}.
 *
 * <p>Why native calls: Java's {@code UserDefinedFileAttributeView} reaches only {@code user.*}, so a file
 * capability (ping's {@code cap_net_raw}) or an ACL would be lost on the way through the store. Why the
 * {@code l} variants: they act on a symbolic link itself, never on what it points at (an image's links point
 * into the image, which the host would resolve against its own root), and they never open the file, so a fifo
 * cannot block and a device node is never touched.
 *
 * <p>Failures are {@link ExtendedAttributeException}s that name the file, the attribute and the errno; callers
 * decide what a refused attribute means for them.
 */
public final class ExtendedAttributes {
    private static final int ERANGE = 34;
    private static final int ENODATA = 61;
    private static final int ENOTSUP = 95;
    private static final int FIRST_LIST_BYTES = 256;

    private ExtendedAttributes() {
    }

    /**
     * Every attribute of {@code path} (not following a final symbolic link), by name; empty when the file system
     * stores no extended attributes at all.
     *
     * @throws ExtendedAttributeException when the file is missing or the attributes cannot be read
     */
    public static SortedMap<String, byte[]> readAll(Path path) throws ExtendedAttributeException {
        SortedMap<String, byte[]> values = new TreeMap<>();
        for (String name : names(path)) {
            get(path, name).ifPresent(value -> values.put(name, value));
        }
        return values;
    }

    /**
     * The attribute names of {@code path} (not following a final symbolic link), sorted; empty when the file
     * system stores no extended attributes.
     */
    public static List<String> names(Path path) throws ExtendedAttributeException {
        LibC.require();
        byte[] file = NativeLibC.cPath(path);
        // One call for the usual file (no attributes, or a few short names); only a longer list asks for its size.
        byte[] buffer = new byte[FIRST_LIST_BYTES];
        while (true) {
            long read;
            try {
                read = LibC.llistxattr(file, buffer, buffer.length);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == ENOTSUP) {
                    return List.of();
                }
                if (e.getErrorCode() == ERANGE) {
                    buffer = new byte[(int) Math.max(listSize(file, path), buffer.length * 2L)];
                    continue; // the list is longer (or an attribute was added meanwhile)
                }
                throw new ExtendedAttributeException("list", path, "", e.getErrorCode());
            }
            if (read == 0) {
                return List.of();
            }
            List<String> names = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < read; i++) {
                if (buffer[i] == 0) {
                    names.add(new String(buffer, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            Collections.sort(names);
            return names;
        }
    }

    private static long listSize(byte[] file, Path path) throws ExtendedAttributeException {
        try {
            return LibC.llistxattr(file, null, 0);
        } catch (LastErrorException e) {
            throw new ExtendedAttributeException("list", path, "", e.getErrorCode());
        }
    }

    /** The value of one attribute, empty when the file does not have it. */
    public static Optional<byte[]> get(Path path, String name) throws ExtendedAttributeException {
        LibC.require();
        byte[] file = NativeLibC.cPath(path);
        byte[] attribute = attributeName(path, name);
        while (true) {
            long size;
            try {
                size = LibC.lgetxattr(file, attribute, null, 0);
                if (size == 0) {
                    return Optional.of(new byte[0]);
                }
                byte[] value = new byte[(int) size]; // at most 64 KiB (XATTR_SIZE_MAX)
                long read = LibC.lgetxattr(file, attribute, value, value.length);
                return Optional.of(read == value.length ? value : Arrays.copyOf(value, (int) read));
            } catch (LastErrorException e) {
                if (e.getErrorCode() == ENODATA) {
                    return Optional.empty(); // also when it was removed between the two calls
                }
                if (e.getErrorCode() != ERANGE) {
                    throw new ExtendedAttributeException("read", path, name, e.getErrorCode());
                }
                // it grew between the two calls: ask for the size again
            }
        }
    }

    /** Sets (creates or replaces) one attribute of {@code path} itself, never of a link's target. */
    public static void set(Path path, String name, byte[] value) throws ExtendedAttributeException {
        LibC.require();
        byte[] attribute = attributeName(path, name);
        try {
            LibC.lsetxattr(NativeLibC.cPath(path), attribute, value, value.length, 0);
        } catch (LastErrorException e) {
            throw new ExtendedAttributeException("set", path, name, e.getErrorCode());
        }
    }

    /** Removes one attribute; nothing happens when the file does not have it. */
    public static void remove(Path path, String name) throws ExtendedAttributeException {
        LibC.require();
        byte[] attribute = attributeName(path, name);
        try {
            LibC.lremovexattr(NativeLibC.cPath(path), attribute);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != ENODATA) {
                throw new ExtendedAttributeException("remove", path, name, e.getErrorCode());
            }
        }
    }

    private static byte[] attributeName(Path path, String name) throws ExtendedAttributeException {
        if (name.isEmpty() || name.indexOf('\0') >= 0 || name.indexOf('.') <= 0) {
            throw new ExtendedAttributeException(path, name, "an attribute name is NAMESPACE.NAME without NUL"
                    + " bytes (e.g. user.comment, security.capability)");
        }
        return NativeLibC.cString(name, StandardCharsets.UTF_8);
    }

    /**
     * The calls, bound on first use ({@link NativeLibC}). size_t and ssize_t are bound as Java longs, which they
     * are wherever C's long is 64 bits (every 64-bit Linux): JNA calls such methods directly, where NativeLong
     * arguments take its generic conversion path, a cost paid per entry of every tree walked. Elsewhere the
     * binding is refused rather than passing the wrong width.
     */
    private static final class LibC {
        private static final Throwable UNAVAILABLE = bind();

        private static Throwable bind() {
            try {
                if (Native.LONG_SIZE != Long.BYTES) {
                    return new UnsupportedOperationException("C's long is " + Native.LONG_SIZE + " bytes here; the"
                            + " binding of the extended attribute calls assumes 8 (a 64-bit JVM)");
                }
            } catch (LinkageError e) {
                return e; // JNA's own native part did not load: the same failure as binding would report
            }
            return NativeLibC.bind(LibC.class);
        }

        static void require() {
            if (UNAVAILABLE != null) {
                throw NativeLibC.unavailable("read or write extended attributes", UNAVAILABLE);
            }
        }

        static native long llistxattr(byte[] path, byte[] list, long size) throws LastErrorException;

        static native long lgetxattr(byte[] path, byte[] name, byte[] value, long size)
                throws LastErrorException;

        static native int lsetxattr(byte[] path, byte[] name, byte[] value, long size, int flags)
                throws LastErrorException;

        static native int lremovexattr(byte[] path, byte[] name) throws LastErrorException;
    }
}
