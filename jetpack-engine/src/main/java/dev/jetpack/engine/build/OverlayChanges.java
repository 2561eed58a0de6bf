package dev.jetpack.engine.build;

import dev.jetpack.engine.io.ExtendedAttributes;
import dev.jetpack.engine.io.FileModes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collections;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a build changed, read from an overlay's upper directory after the run.
 *
 * <ul>
 *   <li>{@link #changed()}: every path present in the upper dir that is not a whiteout: files, links and
 *       directories the build added or modified, and the directories that contain them (overlayfs copies a
 *       parent directory up when something below it changes).</li>
 *   <li>{@link #deleted()}: whiteouts, i.e. paths of the lower tree the build removed. overlayfs marks them as
 *       character devices 0:0 (all whiteouts made by unlink share one inode, so they look like hard links).</li>
 *   <li>{@link #opaqueDirectories()}: directories that hide everything of the lower tree beneath them, because
 *       the build removed and re-created them. BuildContainer mounts with {@code userxattr}, so the marker is
 *       {@code user.overlay.opaque="y"}.</li>
 * </ul>
 *
 * <p>Paths are relative to the root ({@code etc/hosts}), sorted. None of these markers, and no attribute of
 * overlayfs' own ({@code aci.TarEntry.isOverlayAttribute}), may reach an image.
 */
public final class OverlayChanges {
    /** The marker of an opaque directory in an overlay mounted with {@code userxattr}. */
    private static final String OPAQUE = "user.overlay.opaque";


    private final SortedSet<String> changed;
    private final SortedSet<String> deleted;
    private final SortedSet<String> opaque;

    private OverlayChanges(SortedSet<String> changed, SortedSet<String> deleted, SortedSet<String> opaque) {
        this.changed = Collections.unmodifiableSortedSet(changed);
        this.deleted = Collections.unmodifiableSortedSet(deleted);
        this.opaque = Collections.unmodifiableSortedSet(opaque);
    }

    /** Reads an upper directory (never follows symbolic links). */
    public static OverlayChanges read(Path upperDir) throws IOException {
        SortedSet<String> changed = new TreeSet<>();
        SortedSet<String> deleted = new TreeSet<>();
        SortedSet<String> opaque = new TreeSet<>();
        Files.walkFileTree(upperDir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(upperDir)) {
                    String relative = relative(upperDir, dir);
                    changed.add(relative);
                    if (isOpaque(dir)) {
                        opaque.add(relative);
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                (isWhiteout(file) ? deleted : changed).add(relative(upperDir, file));
                return FileVisitResult.CONTINUE;
            }
        });
        return new OverlayChanges(changed, deleted, opaque);
    }

    /** Added or modified paths (files, links, directories), without whiteouts. */
    public SortedSet<String> changed() {
        return changed;
    }

    /** Paths the build deleted from the lower tree. */
    public SortedSet<String> deleted() {
        return deleted;
    }

    /** Directories whose lower content is hidden entirely (removed and re-created by the build). */
    public SortedSet<String> opaqueDirectories() {
        return opaque;
    }

    /** True when nothing was added, changed or deleted. */
    public boolean isEmpty() {
        return changed.isEmpty() && deleted.isEmpty();
    }

    /** True for an overlayfs whiteout: a character device with device number 0:0. */
    public static boolean isWhiteout(Path path) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(path, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) attributes.get("mode");
        long rdev = (Long) attributes.get("rdev");
        return FileModes.type(mode) == FileModes.S_IFCHR && rdev == 0;
    }

    /** True for a directory marked {@code user.overlay.opaque="y"}. */
    public static boolean isOpaque(Path directory) throws IOException {
        return ExtendedAttributes.get(directory, OPAQUE)
                .map(value -> new String(value, StandardCharsets.UTF_8).equals("y")).orElse(false);
    }

    private static String relative(Path root, Path path) {
        return root.relativize(path).toString();
    }
}
