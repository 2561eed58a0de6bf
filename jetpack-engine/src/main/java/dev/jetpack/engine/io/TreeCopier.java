package dev.jetpack.engine.io;

import dev.jetpack.engine.JetpackException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Copies a directory tree with everything an image tree carries: modes (setuid/setgid/sticky included),
 * owners, times, symbolic links (never followed), hard links, device nodes, FIFOs and extended attributes.
 *
 * <p>This runs GNU {@code cp -a --reflink=auto} rather than Java code, on purpose: Java cannot create device
 * nodes, cannot set the setuid/sticky bits through its permission API and loses hard links, while cp does all
 * of it and, on file systems that support it (btrfs, XFS), shares the data blocks instead of copying them.
 * coreutils is present on every Linux system the build runs on. It runs through {@link HostCommand}, so the
 * caller's PATH cannot choose another {@code cp}.
 */
public final class TreeCopier {
    private static final List<String> CP = List.of("cp", "-a", "--reflink=auto");

    private TreeCopier() {
    }

    /**
     * Copies the directory {@code source} to {@code target}, which must not exist yet; the target gets the
     * source's own owner, mode and times too.
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
        run(List.of("--no-target-directory", "--", source.toAbsolutePath().toString(),
                target.toAbsolutePath().toString()), source + " to " + target);
    }

    /**
     * Copies each of {@code sources} (files, links or directories) into the existing directory {@code directory},
     * under its own name.
     *
     * @throws JetpackException when cp is missing or fails (its message is included)
     */
    public static void copyInto(Collection<Path> sources, Path directory) throws IOException {
        if (sources.isEmpty()) {
            return;
        }
        List<String> arguments = new ArrayList<>(List.of("--target-directory=" + directory.toAbsolutePath(), "--"));
        sources.forEach(source -> arguments.add(source.toAbsolutePath().toString()));
        run(arguments, sources.size() == 1 ? sources.iterator().next() + " into " + directory
                : sources.size() + " files into " + directory);
    }

    private static void run(List<String> arguments, String what) throws IOException {
        List<String> command = new ArrayList<>(CP);
        command.addAll(arguments);
        HostCommand.Result result = HostCommand.run(command);
        if (Thread.currentThread().isInterrupted()) {
            // HostCommand lets cp finish (it never leaves a tool half-way); the interrupt still ends the copy's caller.
            throw new IOException("Interrupted while copying " + what);
        }
        if (result.exitCode() == HostCommand.NOT_FOUND) {
            throw new JetpackException("Cannot run 'cp' to copy " + what + ": " + result.output().strip()
                    + ". Image trees are copied with GNU coreutils' cp -a; install coreutils.");
        }
        if (!result.succeeded()) {
            throw new JetpackException("Copying " + what + " failed (cp -a exit " + result.exitCode() + "): "
                    + result.output().strip() + ". Check free disk space and that the tree is readable.");
        }
    }
}
