package dev.jetpack.engine.io;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import dev.jetpack.engine.JetpackException;
import java.nio.charset.Charset;

/**
 * Binds a class's {@code static native} methods to the C library with JNA's direct mapping (one native call per
 * method, no proxy): the one place that knows how the engine reaches the kernel calls Java has no API for
 * (extended attributes of every namespace, device nodes, mounts).
 *
 * <p>Each concern binds a class of its own, so that a call missing from an old C library (glibc exports
 * {@code mknod} only since 2.33) disables that concern alone, and its owner can fall back to a host tool.
 */
final class NativeLibC {
    /**
     * glibc's run-time name: JNA's generic name {@code c} maps to {@code libc.so}, a linker script (or absent
     * without libc6-dev), after which JNA runs {@code ldconfig -p} to find the library, 50 ms on every JVM start.
     */
    private static final String GLIBC = "libc.so.6";
    /** File names reach the kernel in the encoding the JDK uses for them. */
    static final Charset FILE_NAMES = fileNameCharset();

    private NativeLibC() {
    }

    /**
     * Binds {@code binding}'s native methods; returns why that failed (no JNA native library for this platform,
     * a noexec temporary directory where JNA unpacks it, a call missing from this C library), or null.
     */
    static Throwable bind(Class<?> binding) {
        try {
            Native.register(binding, library());
            return null;
        } catch (LinkageError | RuntimeException e) {
            return e;
        }
    }

    /** The error for a call made although {@link #bind} failed: what failed, and how to let JNA load. */
    static JetpackException unavailable(String what, Throwable why) {
        return new JetpackException("Cannot " + what + ": JNA's native library did not load, or did not bind the C"
                + " library (" + why + "). JNA unpacks its native part into jna.tmpdir (by default a cache or temporary"
                + " directory); point that at a directory not mounted noexec, e.g. -Djna.tmpdir=$HOME/.cache/jna.",
                why);
    }

    /** A NUL-terminated string for a C call. */
    static byte[] cString(String text, Charset charset) {
        byte[] bytes = text.getBytes(charset);
        return java.util.Arrays.copyOf(bytes, bytes.length + 1);
    }

    /** A path as the kernel takes it. */
    static byte[] cPath(java.nio.file.Path path) {
        return cString(path.toString(), FILE_NAMES);
    }

    private static NativeLibrary library() {
        if (Platform.isLinux()) {
            try {
                return NativeLibrary.getInstance(GLIBC);
            } catch (UnsatisfiedLinkError e) {
                // not glibc (musl): JNA's own lookup below
            }
        }
        return NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
    }

    private static Charset fileNameCharset() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return Charset.defaultCharset();
        }
    }
}
