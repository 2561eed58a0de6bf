package dev.jetpack.engine.testing;

import dev.jetpack.engine.io.ExtendedAttributes;
import dev.jetpack.engine.io.Symlinks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a tree holds, as "relative path -> one line" (the root is {@code .}), so that tests compare whole trees
 * exactly and a failure shows the entries that differ. A line holds the full mode (type bits included, so
 * setuid and sticky show), owner, modification time, size and SHA-256 of a file, link target, device number,
 * extended attributes of every namespace (on every kind of entry, as {@code xattr:NAME=HEX}) and hard links. A tree that cannot be read fails the test ({@link UncheckedIOException}), so that
 * snapshots can be taken where no checked exception may pass.
 */
public final class TreeSnapshot {
    private TreeSnapshot() {
    }

    /** How modification times appear in a snapshot. */
    private enum Times {
        EXACT, WHOLE_SECONDS, LEFT_OUT
    }

    /** How hard links appear in a snapshot. */
    private enum HardLinks {
        /** Every file with more than one link names the first path of its inode seen in the tree. */
        FIRST_NAME,
        /** The names that share an inode within the tree, listed on each of them; lone files show nothing. */
        IN_TREE_GROUP
    }

    /** Everything: times to the nanosecond, and each file with several links tied to the first name seen. */
    public static Map<String, String> of(Path root) {
        return snapshot(root, Set.of(), Times.EXACT, HardLinks.FIRST_NAME);
    }

    /**
     * As {@link #of(Path)} with times cut to whole seconds: what an image written by jetpack keeps (the writer
     * drops sub-second times, like GNU tar's default format).
     */
    public static Map<String, String> ofWholeSeconds(Path root) {
        return snapshot(root, Set.of(), Times.WHOLE_SECONDS, HardLinks.FIRST_NAME);
    }

    /**
     * As {@link #of(Path)}, but hard links as the groups of names within the tree: for a tree whose files may share
     * inodes with other trees (the store links a built image's unchanged files to its parent's), where only the
     * links inside the tree are part of the image.
     */
    public static Map<String, String> ofInTreeLinks(Path root) {
        return snapshot(root, Set.of(), Times.EXACT, HardLinks.IN_TREE_GROUP);
    }

    /**
     * What a build container shows and its image must show again: no times (a flat image and its rendering need
     * not agree on directory times), and hard links as the groups of names within the tree (overlayfs still
     * counts the parent's link to a file whose partner was copied up, which no image can carry). {@code skip}
     * names relative paths (and their subtrees) to leave out.
     */
    public static Map<String, String> withoutTimes(Path root, Set<String> skip) {
        return snapshot(root, skip, Times.LEFT_OUT, HardLinks.IN_TREE_GROUP);
    }

    /**
     * The short form tests write expected trees in: {@code d 755} for a directory, {@code l target} for a
     * symbolic link, {@code f 644 content} for anything else; the root itself left out.
     */
    public static Map<String, String> listing(Path root) {
        try {
            return readListing(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> readListing(Path root) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        for (Path path : walk(root)) {
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
        return entries;
    }

    /** One "path  line" string per entry, for assertions that list what is missing or extra. */
    public static List<String> lines(Map<String, String> snapshot) {
        return snapshot.entrySet().stream().map(e -> e.getKey() + "  " + e.getValue()).toList();
    }

    private static Map<String, String> snapshot(Path root, Set<String> skip, Times times, HardLinks hardLinks) {
        try {
            return read(root, skip, times, hardLinks);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> read(Path root, Set<String> skip, Times times, HardLinks hardLinks)
            throws IOException {
        Map<String, String> result = new TreeMap<>();
        Map<Object, String> firstNameOfInode = new HashMap<>();
        Map<Object, List<String>> namesOfInode = new HashMap<>();
        for (Path path : walk(root)) {
            String key = root.relativize(path).toString();
            if (skipped(key, skip)) {
                continue;
            }
            key = key.isEmpty() ? "." : key;
            Map<String, Object> a = Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            StringBuilder line = new StringBuilder();
            line.append(Integer.toOctalString(mode)).append(' ')
                    .append(Integer.toUnsignedString((Integer) a.get("uid"))).append(':')
                    .append(Integer.toUnsignedString((Integer) a.get("gid"))); // uid_t is unsigned
            FileTime mtime = (FileTime) a.get("lastModifiedTime");
            switch (times) {
                case EXACT -> line.append(" mtime=").append(mtime);
                case WHOLE_SECONDS -> line.append(" mtime=")
                        .append(FileTime.from(mtime.toInstant().getEpochSecond(), TimeUnit.SECONDS));
                case LEFT_OUT -> {
                }
            }
            if (Files.isSymbolicLink(path)) {
                line.append(" -> ").append(Symlinks.read(path)); // byte for byte: NIO would normalize it
            } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                line.append(" size=").append(a.get("size")).append(" sha=").append(sha256(path));
                Object inode = List.of(a.get("dev"), a.get("ino"));
                String first = firstNameOfInode.putIfAbsent(inode, key);
                namesOfInode.computeIfAbsent(inode, k -> new ArrayList<>()).add(key);
                if (hardLinks == HardLinks.FIRST_NAME && (Integer) a.get("nlink") > 1) {
                    line.append(" links-with=").append(first == null ? key : first);
                }
            } else if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                // devices, fifos and sockets: the device number is what a device is
                line.append(" rdev=").append(a.get("rdev"));
            }
            appendXattrs(path, line);
            result.put(key, line.toString());
        }
        if (hardLinks == HardLinks.IN_TREE_GROUP) {
            for (List<String> group : namesOfInode.values()) {
                if (group.size() > 1) {
                    List<String> sorted = group.stream().sorted().toList();
                    for (String name : sorted) {
                        result.put(name, result.get(name) + " links=" + sorted);
                    }
                }
            }
        }
        return result;
    }

    private static List<Path> walk(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.sorted().toList();
        }
    }

    private static boolean skipped(String relative, Set<String> skip) {
        for (String s : skip) {
            if (relative.equals(s) || relative.startsWith(s + "/")) {
                return true;
            }
        }
        return false;
    }

    private static void appendXattrs(Path path, StringBuilder line) throws IOException {
        ExtendedAttributes.readAll(path).forEach((name, value) ->
                line.append(" xattr:").append(name).append('=').append(HexFormat.of().formatHex(value)));
    }

    private static String sha256(Path file) throws IOException {
        try (var in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
