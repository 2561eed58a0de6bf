package dev.jetpack.engine.base;

import dev.jetpack.engine.io.HostCommand;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal rootfs made of the host's own binaries: a base image for tests and for a first build without any
 * download.
 *
 * <p>Layout: each command at {@code /bin/NAME} (a copy of the host binary, symlinks resolved), every shared
 * library it loads at the path {@code ldd} reports (including the dynamic loader at its absolute path, which
 * the binaries have built in), {@code /etc/passwd} and {@code /etc/group} with root, and {@code /tmp} (1777).
 * The libraries' directories need no ld.so.cache: they are the loader's built-in search path, or were when the
 * host found them.
 *
 * <p>There is deliberately no {@code /dev}, {@code /proc} or {@code /sys}: an image from here has no mount
 * points, so container runtimes must create (and afterwards remove) their own, the case real minimal images
 * present.
 */
public final class HostRootfs {
    /** Enough for {@code /bin/sh -c} scripts that manipulate files (all from Debian's essential packages). */
    public static final List<String> DEFAULT_COMMANDS = List.of("sh", "ls", "cat", "mkdir", "rmdir", "rm", "cp",
            "mv", "ln", "chmod", "chown", "touch", "env", "sed", "grep", "id", "test", "[", "echo", "printf",
            "sort", "true", "false", "stat", "readlink", "wc", "head", "tail", "tar", "find", "sleep", "uname",
            "hostname", "pwd", "basename", "dirname", "mknod", "tr", "cut", "xargs");

    private static final Path BUSYBOX = Path.of("/usr/bin/busybox");
    private static final Pattern LDD_LIBRARY = Pattern.compile("^\\s*(?:\\S+\\s+=>\\s+)?(/\\S+)\\s+\\(0x[0-9a-f]+\\)\\s*$");
    private static final String PASSWD = "root:x:0:0:root:/root:/bin/sh\n";
    private static final String GROUP = "root:x:0:\n";

    private HostRootfs() {
    }

    /**
     * Fills {@code target} (created if needed) with {@code commands} from the host PATH and their libraries.
     *
     * @throws HostRootfsException if a command is not installed on the host or cannot be copied
     */
    public static void create(Path target, List<String> commands) {
        try {
            Files.createDirectories(target);
            Set<Path> libraries = new LinkedHashSet<>();
            List<String> missing = new ArrayList<>();
            for (String command : commands) {
                Path binary = locate(command);
                if (binary == null) {
                    missing.add(command);
                    continue;
                }
                copy(binary, target.resolve("bin").resolve(command));
                libraries.addAll(librariesOf(binary));
            }
            if (!missing.isEmpty()) {
                throw new HostRootfsException("cannot build a rootfs from host binaries: " + missing + " not found in "
                        + HostCommand.HOST_PATH + "; install them or leave them out of the command list");
            }
            for (Path library : libraries) {
                copy(library, target.resolve(library.toString().substring(1)));
            }
            writeSkeleton(target);
        } catch (IOException e) {
            throw new HostRootfsException("cannot build a rootfs from host binaries in " + target + ": " + e.getMessage(), e);
        }
    }

    /** True when the host has a static busybox at {@code /usr/bin/busybox} for {@link #busybox}. */
    public static boolean busyboxAvailable() {
        return Files.isRegularFile(BUSYBOX) && Files.isExecutable(BUSYBOX);
    }

    /**
     * Fills {@code target} with the host's static busybox as {@code /bin/busybox} and a symlink for each of
     * its applets at the path busybox itself lists (e.g. {@code /usr/bin/awk}), plus passwd, group and /tmp.
     *
     * @throws HostRootfsException if there is no busybox at /usr/bin/busybox (Debian: busybox-static)
     */
    public static void busybox(Path target) {
        if (!busyboxAvailable()) {
            throw new HostRootfsException("no busybox at " + BUSYBOX + ": install busybox-static or use create()");
        }
        try {
            Path binary = target.resolve("bin/busybox");
            copy(BUSYBOX, binary);
            HostCommand.Result list = HostCommand.check(List.of(BUSYBOX.toString(), "--list-full"));
            for (String applet : list.output().split("\n")) {
                applet = applet.strip();
                if (applet.isEmpty() || applet.equals("bin/busybox") || applet.contains("..")) {
                    continue;
                }
                Path link = target.resolve(applet);
                if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                Files.createDirectories(link.getParent());
                Files.createSymbolicLink(link, Path.of("/bin/busybox"));
            }
            writeSkeleton(target);
        } catch (IOException e) {
            throw new HostRootfsException("cannot build a busybox rootfs in " + target + ": " + e.getMessage(), e);
        }
    }

    private static Path locate(String command) {
        for (String directory : HostCommand.HOST_PATH.split(":")) {
            Path candidate = Path.of(directory, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /* The libraries `ldd` reports, with the loader. A static binary ("not a dynamic executable") has none. */
    static List<Path> librariesOf(Path binary) throws IOException {
        HostCommand.Result ldd = HostCommand.run(List.of("ldd", binary.toString()));
        List<Path> libraries = new ArrayList<>();
        if (!ldd.succeeded()) {
            if (ldd.output().contains("not a dynamic executable") || ldd.output().contains("statically linked")) {
                return libraries;
            }
            throw new IOException(ldd.describe());
        }
        for (String line : ldd.output().split("\n")) {
            if (line.contains("=> not found")) {
                throw new IOException(binary + " needs a library the host does not have: " + line.strip());
            }
            Matcher matcher = LDD_LIBRARY.matcher(line);
            if (matcher.matches()) {
                libraries.add(Path.of(matcher.group(1)));
            }
        }
        return libraries;
    }

    /* Copies content and mode of the file a path leads to (following symlinks: /bin/sh -> dash). */
    private static void copy(Path source, Path destination) throws IOException {
        if (Files.exists(destination, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.createDirectories(destination.getParent());
        Files.copy(source, destination, StandardCopyOption.COPY_ATTRIBUTES);
    }

    private static void writeSkeleton(Path target) throws IOException {
        Path etc = target.resolve("etc");
        Files.createDirectories(etc);
        writeIfAbsent(etc.resolve("passwd"), PASSWD);
        writeIfAbsent(etc.resolve("group"), GROUP);
        Path tmp = target.resolve("tmp");
        Files.createDirectories(tmp);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        // setPosixFilePermissions cannot set the sticky bit; chmod can.
        HostCommand.check(List.of("chmod", "1777", tmp.toString()));
        Path root = target.resolve("root");
        Files.createDirectories(root);
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
    }

    private static void writeIfAbsent(Path file, String content) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        }
    }
}
