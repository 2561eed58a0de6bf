package dev.jetpack.engine.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Everything about a tree that an image preserves: type, mode, owner, time, content, link targets, hard links. */
final class TreeSnapshot {
    private TreeSnapshot() {
    }

    static Map<String, String> of(Path root) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        Map<Object, String> firstPathOfInode = new HashMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                Map<String, Object> a = Files.readAttributes(path, "unix:mode,uid,gid,size,lastModifiedTime,rdev,ino,nlink",
                        LinkOption.NOFOLLOW_LINKS);
                String relative = root.relativize(path).toString();
                StringBuilder entry = new StringBuilder();
                entry.append(Integer.toOctalString((Integer) a.get("mode"))).append(' ').append(a.get("uid")).append(':')
                        .append(a.get("gid")).append(' ').append(a.get("lastModifiedTime"));
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
