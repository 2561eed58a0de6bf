package dev.jetpack.engine.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An image manifest's {@code pathWhitelist}: when it is not empty, the rendered tree keeps exactly the paths
 * it lists, plus the directories needed to reach them. The directory "/" always stays; an unlisted entry
 * below a listed directory goes, because appc calls the list complete.
 */
final class PathWhitelist {
    private final Set<String> listed = new HashSet<>();
    private final Set<String> ancestors = new HashSet<>();

    PathWhitelist(Collection<String> paths) {
        for (String raw : paths) {
            String path = normalize(raw);
            listed.add(path);
            for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
                ancestors.add(path.substring(0, slash));
            }
        }
    }

    boolean isEmpty() {
        return listed.isEmpty();
    }

    /** Removes from {@code rootfs} every entry that is neither listed nor needed to reach a listed one. */
    void apply(Path rootfs) throws IOException {
        if (!isEmpty()) {
            prune(rootfs, "");
        }
    }

    private void prune(Path directory, String directoryPath) throws IOException {
        BasicFileAttributes times = Files.readAttributes(directory, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            stream.forEach(entries::add);
        }
        boolean removed = false;
        for (Path entry : entries) {
            String path = directoryPath + "/" + entry.getFileName();
            boolean realDirectory = Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS);
            if (listed.contains(path) || ancestors.contains(path)) {
                // A listed directory's entries must be listed themselves; a needed ancestor that is a symbolic
                // link (e.g. /lib -> usr/lib) stays as it is and is not entered.
                if (realDirectory) {
                    prune(entry, path);
                }
            } else {
                dev.jetpack.engine.io.FileTrees.deleteRecursively(entry);
                removed = true;
            }
        }
        if (removed) {
            LayerMerger.restoreTimes(directory, times.lastModifiedTime(), times.lastAccessTime());
        }
    }

    /** "/a//b/" and "/a/b" name the same path; a whitelist entry is absolute by the spec. */
    static String normalize(String raw) {
        String path = raw.trim();
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        path = path.replaceAll("/+", "/");
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path.equals("/") ? "" : path;
    }
}
