package dev.jetpack.engine.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Builds trees for tests: one with every kind of entry an image holds, and single files, directories and links.
 * {@link TreeSnapshot} describes them for comparison.
 */
public final class TestTrees {
    public static final byte[] MANIFEST = ("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\","
            + "\"name\":\"example.com/test\"}").getBytes(StandardCharsets.UTF_8);

    private TestTrees() {
    }

    /**
     * A tree with files (one setuid, one empty, one with a long name), a sticky directory, nested directories,
     * relative and absolute symlinks, a hard link pair, a fifo, a character device, user xattrs (and an overlay
     * xattr that must not survive), varied owners and sub-second mtimes. {@code reverse} creates the same tree in
     * the opposite order, so directory listing order differs.
     */
    public static void createRichTree(Path root, boolean reverse) throws IOException {
        Files.createDirectories(root);
        List<IoAction> steps = new ArrayList<>();
        steps.add(() -> Files.writeString(root.resolve("hello.txt"), "hello world\n"));
        steps.add(() -> Files.write(root.resolve("empty"), new byte[0]));
        steps.add(() -> Files.createDirectories(root.resolve("usr/bin")));
        steps.add(() -> Files.createDirectories(root.resolve("tmp")));
        steps.add(() -> Files.createDirectories(root.resolve("a/b/c")));
        steps.add(() -> {
            Files.createDirectories(root.resolve("a/b/c"));
            Files.writeString(root.resolve("a/b/c/deep.txt"), "deep");
        });
        steps.add(() -> Files.writeString(root.resolve("a-sibling"), "sorts between a and a/..."));
        steps.add(() -> Files.writeString(root.resolve("n".repeat(150) + ".txt"), "long name"));
        steps.add(() -> Files.writeString(root.resolve("caf\u00e9"), "unicode name"));
        for (IoAction step : reverse ? reversed(steps) : steps) {
            step.run();
        }
        byte[] big = new byte[300_000];
        new java.util.Random(42).nextBytes(big);
        Files.write(root.resolve("usr/bin/tool"), big);
        Files.setAttribute(root.resolve("usr/bin/tool"), "unix:mode", 04755);
        Files.setAttribute(root.resolve("tmp"), "unix:mode", 01777);
        Files.createLink(root.resolve("usr/bin/tool-link"), root.resolve("usr/bin/tool"));
        Files.createSymbolicLink(root.resolve("rel-link"), Path.of("a/b/c/deep.txt"));
        Files.createSymbolicLink(root.resolve("abs-link"), Path.of("/etc/passwd"));
        run("mkfifo", root.resolve("fifo").toString());
        run("mknod", root.resolve("null").toString(), "c", "1", "3");
        Files.setAttribute(root.resolve("hello.txt"), "unix:uid", 1234);
        Files.setAttribute(root.resolve("hello.txt"), "unix:gid", 5678);
        Files.setAttribute(root.resolve("rel-link"), "unix:uid", 42, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(root.resolve("a"), "unix:gid", 99);
        UserDefinedFileAttributeView view = Files.getFileAttributeView(root.resolve("hello.txt"),
                UserDefinedFileAttributeView.class);
        view.write("comment", ByteBuffer.wrap("a greeting".getBytes(StandardCharsets.UTF_8)));
        view.write("overlay.opaque", ByteBuffer.wrap("y".getBytes(StandardCharsets.UTF_8)));
        Files.getFileAttributeView(root.resolve("a"), UserDefinedFileAttributeView.class)
                .write("dirattr", ByteBuffer.wrap(new byte[] {1, 2, 3}));
        setTimesDeepestFirst(root);
    }

    /** Gives every entry a distinct sub-second mtime, directories after their contents. */
    public static void setTimesDeepestFirst(Path root) throws IOException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = new ArrayList<>(walk.toList());
        }
        java.util.Collections.reverse(all);
        long base = 1_600_000_000L;
        for (Path path : all) {
            String key = root.relativize(path).toString();
            Instant time = Instant.ofEpochSecond(base + Math.abs(key.hashCode() % 100_000), 123_456_789);
            if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
                    || Files.isSymbolicLink(path)) {
                Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setTimes(FileTime.from(time), null, null);
            } else { // the JDK would open a fifo or device to set its time
                run("touch", "-c", "-h", "-m", "-d", "@" + time.getEpochSecond() + "." + time.getNano(), "--",
                        path.toString());
            }
        }
    }

    /** Writes a file with content and mode (octal), creating parent directories. */
    public static Path file(Path root, String relative, String content, int mode) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setAttribute(file, "unix:mode", mode);
        return file;
    }

    /** Creates a directory (and its parents) and gives it {@code mode} (octal). */
    public static Path directory(Path root, String relative, int mode) throws IOException {
        Path directory = Files.createDirectories(root.resolve(relative));
        Files.setAttribute(directory, "unix:mode", mode);
        return directory;
    }

    /** Creates a symbolic link to {@code target}, creating parent directories. */
    public static Path symlink(Path root, String relative, String target) throws IOException {
        Path link = root.resolve(relative);
        Files.createDirectories(link.getParent());
        return Files.createSymbolicLink(link, Path.of(target));
    }

    /** Runs a command, failing the test with its output when it fails; returns stdout. */
    public static byte[] run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        try {
            if (process.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + new String(err, StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        return out;
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        java.util.Collections.reverse(copy);
        return copy;
    }
}
