package dev.jetpack.engine.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A tree described as "relative path -> kind, mode and content" so that tests compare whole trees exactly.
 * Kinds: {@code d} directory, {@code f} regular file (content follows), {@code l} symbolic link (target follows).
 */
final class TreeSnapshot {
    private TreeSnapshot() {
    }

    static Map<String, String> of(Path root) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                if (path.equals(root)) {
                    continue;
                }
                String relative = root.relativize(path).toString();
                int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
                if (Files.isSymbolicLink(path)) {
                    entries.put(relative, "l " + Files.readSymbolicLink(path));
                } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    entries.put(relative, "d " + Integer.toOctalString(mode));
                } else {
                    entries.put(relative, "f " + Integer.toOctalString(mode) + " "
                            + new String(Files.readAllBytes(path), StandardCharsets.UTF_8));
                }
            }
        }
        return entries;
    }

    /** Writes a file with content and mode (octal), creating parent directories. */
    static Path file(Path root, String relative, String content, int mode) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setAttribute(file, "unix:mode", mode);
        return file;
    }

    static Path directory(Path root, String relative, int mode) throws IOException {
        Path directory = Files.createDirectories(root.resolve(relative));
        Files.setAttribute(directory, "unix:mode", mode);
        return directory;
    }

    static Path symlink(Path root, String relative, String target) throws IOException {
        Path link = root.resolve(relative);
        Files.createDirectories(link.getParent());
        return Files.createSymbolicLink(link, Path.of(target));
    }
}
