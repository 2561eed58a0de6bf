package dev.jetpack.engine.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a tree holds, entry by entry, in a form two trees can be compared by: type and full mode (setuid etc.
 * included), owner, content hash, link target, device number and hard-link partner names. Times are left out on
 * purpose: a flat image and its rendering need not agree on directory times.
 */
record TreeSnapshot(SortedMap<String, String> entries) {
    private static final int TYPE_MASK = 0170000;

    /** Snapshot of {@code root}; {@code skip} names relative paths (and their subtrees) to leave out. */
    static TreeSnapshot of(Path root, Set<String> skip) {
        SortedMap<String, String> entries = new TreeMap<>();
        Map<Object, List<String>> byInode = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                String relative = root.relativize(path).toString();
                if (skipped(relative, skip)) {
                    continue;
                }
                Map<String, Object> unix = Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) unix.get("mode");
                int type = mode & TYPE_MASK;
                StringBuilder line = new StringBuilder()
                        .append(typeName(type)).append(' ')
                        .append(String.format("%04o", mode & 07777)).append(' ')
                        .append(unix.get("uid")).append(':').append(unix.get("gid"));
                switch (typeName(type)) {
                    case "file" -> {
                        line.append(" sha256=").append(sha256(path));
                        if ((Integer) unix.get("nlink") > 1) {
                            byInode.computeIfAbsent(unix.get("ino"), k -> new ArrayList<>()).add(relative);
                        }
                    }
                    case "link" -> line.append(" -> ").append(Files.readSymbolicLink(path));
                    case "char", "block" -> line.append(" rdev=").append(unix.get("rdev"));
                    default -> {
                    }
                }
                entries.put(relative.isEmpty() ? "/" : relative, line.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (List<String> group : byInode.values()) {
            if (group.size() > 1) {
                for (String name : group) {
                    entries.put(name, entries.get(name) + " links=" + group);
                }
            }
        }
        return new TreeSnapshot(entries);
    }

    private static boolean skipped(String relative, Set<String> skip) {
        for (String s : skip) {
            if (relative.equals(s) || relative.startsWith(s + "/")) {
                return true;
            }
        }
        return false;
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0100000 -> "file";
            case 0040000 -> "dir";
            case 0120000 -> "link";
            case 0020000 -> "char";
            case 0060000 -> "block";
            case 0010000 -> "fifo";
            case 0140000 -> "socket";
            default -> "type" + Integer.toOctalString(type);
        };
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
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

    /** One line per entry, for readable assertion failures. */
    List<String> lines() {
        return entries.entrySet().stream().map(e -> e.getKey() + "  " + e.getValue()).toList();
    }

    /**
     * The stricter snapshot the build-container tests compare by: as {@link #of(Path, Set)} but with each
     * entry's modification time, file contents verbatim, and hard links grouped by the first path seen.
     */
    static Map<String, String> of(Path root) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        Map<Object, String> firstPathOfInode = new java.util.HashMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                Map<String, Object> a = Files.readAttributes(path,
                        "unix:mode,uid,gid,size,lastModifiedTime,rdev,ino,nlink", LinkOption.NOFOLLOW_LINKS);
                String relative = root.relativize(path).toString();
                StringBuilder entry = new StringBuilder();
                entry.append(Integer.toOctalString((Integer) a.get("mode"))).append(' ').append(a.get("uid"))
                        .append(':').append(a.get("gid")).append(' ').append(a.get("lastModifiedTime"));
                if (Files.isSymbolicLink(path)) {
                    entry.append(" -> ").append(Files.readSymbolicLink(path));
                } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    entry.append(" ").append(Files.readString(path));
                    if ((Integer) a.get("nlink") > 1) {
                        String first = firstPathOfInode.putIfAbsent(a.get("ino"), relative);
                        entry.append(" link-group:").append(first == null ? relative : first);
                    }
                } else if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    entry.append(" rdev=").append(a.get("rdev"));
                }
                entries.put(relative, entry.toString());
            }
        }
        return entries;
    }
}
