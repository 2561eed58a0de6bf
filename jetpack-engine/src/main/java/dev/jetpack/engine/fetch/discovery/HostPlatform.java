package dev.jetpack.engine.fetch.discovery;

import java.util.Locale;

/**
 * The host's operating system and architecture spelled the appc way ({@code linux}/{@code amd64},
 * {@code aarch64}, {@code i386}...), which differs from Java's ({@code x86_64}, {@code arm64}, {@code x86}).
 */
public final class HostPlatform {
    private HostPlatform() {
    }

    /** This JVM's os label. */
    public static String os() {
        return appcOs(System.getProperty("os.name", ""));
    }

    /** This JVM's arch label. */
    public static String arch() {
        return appcArch(System.getProperty("os.arch", ""));
    }

    /** Maps a Java {@code os.name} to the appc os label. */
    public static String appcOs(String javaOsName) {
        String os = javaOsName.toLowerCase(Locale.ROOT);
        if (os.startsWith("linux")) {
            return "linux";
        }
        if (os.startsWith("freebsd")) {
            return "freebsd";
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return "darwin";
        }
        return os.replace(' ', '-');
    }

    /** Maps a Java {@code os.arch} to the appc arch label. */
    public static String appcArch(String javaArch) {
        String arch = javaArch.toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "aarch64";
            case "x86", "i386", "i486", "i586", "i686" -> "i386";
            case "ppc64le" -> "ppc64le";
            case "ppc64" -> "ppc64";
            case "s390x" -> "s390x";
            case "arm" -> "armv7l";
            default -> arch;
        };
    }
}
