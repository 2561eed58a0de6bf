package dev.jetpack.engine.build;

import dev.jetpack.engine.io.ExtendedAttributes;
import dev.jetpack.engine.io.FileModes;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a build changed when its container was a copy of the parent rather than an overlay: the paths of the
 * new tree that differ from the parent (new, or different in type, mode, owner, time, link count, device,
 * link target, extended attributes of any namespace or content), the directories above them, and whether anything of the parent is
 * gone. Content is only read when all the metadata is equal, so an unchanged tree costs one read of each file
 * pair and a changed one mostly metadata.
 */
final class TreeComparison {

    private final Set<String> included;
    private final boolean deletesFromParent;

    private TreeComparison(Set<String> included, boolean deletesFromParent) {
        this.included = included;
        this.deletesFromParent = deletesFromParent;
    }

    /**
     * Compares {@code tree} (the build's result) with {@code parent}.
     */
    static TreeComparison compare(Path tree, Path parent) throws IOException {
        Set<String> included = new HashSet<>();
        included.add("");
        Files.walkFileTree(tree, new SimpleFileVisitor<>() {
            /** A directory the parent has no directory for: everything below it is new, no need to compare. */
            private Path newSubtree;

            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (newSubtree == null && !dir.equals(tree)
                        && !Files.isDirectory(counterpart(parent, tree, dir), LinkOption.NOFOLLOW_LINKS)) {
                    // Also keeps the comparison from resolving paths below a parent's symlink on the host.
                    newSubtree = dir;
                }
                visit(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                visit(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                if (dir.equals(newSubtree)) {
                    newSubtree = null;
                }
                return FileVisitResult.CONTINUE;
            }

            private void visit(Path path) throws IOException {
                String relative = tree.relativize(path).toString();
                if (relative.isEmpty()
                        || newSubtree == null && !differs(path, counterpart(parent, tree, path))) {
                    return;
                }
                // The entry and every directory above it go into the layer: a tar needs the parents, and
                // their metadata in the new tree is the truth anyway.
                Path entry = Path.of(relative);
                while (entry != null && included.add(entry.toString())) {
                    entry = entry.getParent();
                }
            }
        });
        return new TreeComparison(included, anyMissing(parent, tree));
    }

    /** The same relative path in the other tree. */
    private static Path counterpart(Path otherRoot, Path root, Path path) {
        return otherRoot.resolve(root.relativize(path).toString());
    }

    /** True when {@code relativePath} (relative to the tree) is unchanged and stays out of the layer. */
    boolean unchanged(Path relativePath) {
        return !included.contains(relativePath.toString());
    }

    /** True when the build removed something the parent had (so the layer needs a pathWhitelist). */
    boolean deletesFromParent() {
        return deletesFromParent;
    }

    /** How many entries (the root included) the layer holds. */
    int includedCount() {
        return included.size();
    }

    /**
     * True when a path of the parent is gone from the tree. A parent directory that is no directory in the tree
     * any more counts at once: its subtree is gone, and its paths must not be resolved through whatever
     * replaced it (a symbolic link would be followed on the host).
     */
    private static boolean anyMissing(Path parent, Path tree) throws IOException {
        boolean[] missing = {false};
        Files.walkFileTree(parent, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(parent)
                        && !Files.isDirectory(counterpart(tree, parent, dir), LinkOption.NOFOLLOW_LINKS)) {
                    missing[0] = true;
                    return FileVisitResult.TERMINATE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (!Files.exists(counterpart(tree, parent, file), LinkOption.NOFOLLOW_LINKS)) {
                    missing[0] = true;
                    return FileVisitResult.TERMINATE;
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return missing[0];
    }

    private static boolean differs(Path path, Path parentPath) throws IOException {
        if (!Files.exists(parentPath, LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        Map<String, Object> now = Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS);
        Map<String, Object> before = Files.readAttributes(parentPath, "unix:*", LinkOption.NOFOLLOW_LINKS);
        for (String attribute : new String[] {"mode", "uid", "gid", "rdev", "nlink", "lastModifiedTime"}) {
            if (!Objects.equals(now.get(attribute), before.get(attribute))) {
                return true;
            }
        }
        int type = FileModes.type((Integer) now.get("mode"));
        if (type != FileModes.S_IFDIR && !Objects.equals(now.get("size"), before.get("size"))) {
            return true;
        }
        // Any kind of entry may carry attributes (a label on a link, a capability on a file); none is opened.
        if (!xattrs(path).equals(xattrs(parentPath))) {
            return true;
        }
        if (Files.isSymbolicLink(path)) {
            return !Files.readSymbolicLink(path).equals(Files.readSymbolicLink(parentPath));
        }
        return type == FileModes.S_IFREG && Files.mismatch(path, parentPath) != -1;
    }

    /** Extended attributes as name → hex value, comparable with equals. */
    private static Map<String, String> xattrs(Path path) throws IOException {
        Map<String, String> values = new TreeMap<>();
        ExtendedAttributes.readAll(path).forEach((name, value) -> values.put(name, HexFormat.of().formatHex(value)));
        return values;
    }
}
