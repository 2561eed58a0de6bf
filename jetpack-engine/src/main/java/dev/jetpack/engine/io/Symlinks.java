package dev.jetpack.engine.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Symbolic links with their targets kept byte for byte. A target is opaque text to the kernel, but Java's paths
 * normalize it ({@code dir//./file/} becomes {@code dir/./file}), so an image would change on its way through
 * the store. Targets Java keeps go through NIO; the rest through {@code ln}/{@code readlink}, which are rare.
 */
public final class Symlinks {
    private Symlinks() {
    }

    /** Creates {@code link} pointing at exactly {@code target}; fails if {@code link} exists. */
    public static void create(Path link, String target) throws IOException {
        if (link.getFileSystem().getPath(target).toString().equals(target)) {
            Files.createSymbolicLink(link, link.getFileSystem().getPath(target));
            return;
        }
        HostCommand.Result result = HostCommand.run(List.of("ln", "-s", "--", target, link.toString()));
        if (!result.succeeded()) {
            throw new IOException("Cannot create the symbolic link " + link + " -> '" + target + "': "
                    + result.describe());
        }
    }

    /** The target of {@code link} exactly as stored. */
    public static String read(Path link) throws IOException {
        String target = Files.readSymbolicLink(link).toString();
        long stored = (Long) Files.getAttribute(link, "unix:size", LinkOption.NOFOLLOW_LINKS);
        if (target.getBytes(StandardCharsets.UTF_8).length == stored) {
            return target;
        }
        HostCommand.Result result = HostCommand.run(List.of("readlink", "--", link.toString()));
        if (!result.succeeded() || !result.output().endsWith("\n")) {
            throw new IOException("Cannot read the symbolic link " + link + ": " + result.describe());
        }
        return result.output().substring(0, result.output().length() - 1);
    }
}
