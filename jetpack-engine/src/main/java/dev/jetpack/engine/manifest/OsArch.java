package dev.jetpack.engine.manifest;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An {@code os}/{@code arch} label pair in appc spelling, and the table of pairs the spec supports
 * ({@code types.ValidOSArch} of appc/spec 0.8.11).
 *
 * @param os   e.g. {@code linux}
 * @param arch e.g. {@code amd64}, {@code aarch64}; may be {@code null} for an os-only pair
 */
public record OsArch(String os, String arch) {
    /** os → the arches allowed with it, in the spec's order. Sorted by os so that messages are stable. */
    public static final Map<String, List<String>> SUPPORTED = new TreeMap<>(Map.of(
            "linux", List.of("amd64", "i386", "aarch64", "aarch64_be", "armv6l", "armv7l", "armv7b",
                    "ppc64", "ppc64le", "s390x"),
            "freebsd", List.of("amd64", "i386", "arm"),
            "darwin", List.of("x86_64", "i386")));

    /** The host this JVM runs on, in appc spelling (see {@link #fromJava}). */
    public static OsArch host() {
        return fromJava(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /**
     * Maps Java's {@code os.name}/{@code os.arch} to appc's spelling: {@code Linux} → {@code linux},
     * {@code Mac OS X} → {@code darwin}; {@code x86_64} → {@code amd64} (but {@code x86_64} on darwin, as the
     * spec spells it there), {@code x86}/{@code i686} → {@code i386}, {@code arm64} → {@code aarch64},
     * {@code arm} → {@code armv7l} on linux (what 32-bit ARM JVMs run on). Values without a mapping come back
     * lower-cased, and {@link #isSupported()} then says false.
     */
    public static OsArch fromJava(String osName, String osArch) {
        String name = osName.toLowerCase(Locale.ROOT);
        String os;
        if (name.startsWith("linux")) {
            os = "linux";
        } else if (name.startsWith("freebsd")) {
            os = "freebsd";
        } else if (name.startsWith("mac") || name.startsWith("darwin")) {
            os = "darwin";
        } else {
            os = name.replace(' ', '-');
        }
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x86-64" -> os.equals("darwin") ? "x86_64" : "amd64";
            case "x86", "i386", "i486", "i586", "i686" -> "i386";
            case "aarch64", "arm64" -> "aarch64";
            case "arm", "arm32", "armv7l", "armv7" -> os.equals("freebsd") ? "arm" : "armv7l";
            case "ppc64" -> "ppc64";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            default -> osArch.toLowerCase(Locale.ROOT);
        };
        return new OsArch(os, arch);
    }

    /** Whether the spec's table allows {@code os} (and, when set, {@code arch} with it). */
    public static boolean isSupported(String os, String arch) {
        List<String> arches = SUPPORTED.get(os);
        return arches != null && (arch == null || arches.contains(arch));
    }

    public boolean isSupported() {
        return isSupported(os, arch);
    }

    @Override
    public String toString() {
        return arch == null ? os : os + "/" + arch;
    }
}
