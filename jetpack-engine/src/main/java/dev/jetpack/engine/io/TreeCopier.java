package dev.jetpack.engine.io;

import dev.jetpack.engine.JetpackException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Copies a directory tree with everything an image tree carries: modes (setuid/setgid/sticky included),
 * owners, times, symbolic links (never followed), hard links, device nodes, FIFOs and extended attributes.
 *
 * <p>This runs GNU {@code cp -a --reflink=auto} rather than Java code, on purpose: Java cannot create device
 * nodes, cannot set the setuid/sticky bits through its permission API and loses hard links, while cp does all
 * of it and, on file systems that support it (btrfs, XFS), shares the data blocks instead of copying them.
 * coreutils is present on every Linux system the build runs on.
 */
public final class TreeCopier {
    private TreeCopier() {
    }

    /**
     * Copies the directory {@code source} to {@code target}, which must not exist yet.
     *
     * @throws JetpackException when cp is missing or fails (its message is included)
     */
    public static void copy(Path source, Path target) throws IOException {
        if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("Cannot copy " + source + ": it is not a directory");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("Cannot copy " + source + " to " + target + ": the target exists already");
        }
        List<String> command = List.of("cp", "-a", "--reflink=auto", "--no-target-directory", "--",
                source.toAbsolutePath().toString(), target.toAbsolutePath().toString());
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new JetpackException("Cannot run 'cp' to copy " + source + " to " + target + ": " + e.getMessage()
                    + ". Image trees are copied with GNU coreutils' cp -a; install coreutils.", e);
        }
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        int exit;
        try {
            exit = process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while copying " + source + " to " + target, e);
        }
        if (exit != 0) {
            throw new JetpackException("Copying " + source + " to " + target + " failed (cp -a exit " + exit + "): "
                    + output + ". Check free disk space and that the tree is readable.");
        }
    }
}
