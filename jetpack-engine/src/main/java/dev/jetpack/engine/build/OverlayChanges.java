package dev.jetpack.engine.build;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
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
 *       {@code user.overlay.opaque="y"}, which Java reads as the user-defined attribute {@code overlay.opaque}.</li>
 * </ul>
 *
 * <p>Paths are relative to the root ({@code etc/hosts}), sorted. None of these markers, and no attribute
 * {@link #isOverlayAttribute named overlay.*}, may reach an image.
 */
public final class OverlayChanges {
    /** Prefix of overlayfs' own attributes as Java's user-defined attribute view names them. */
    public static final String OVERLAY_ATTRIBUTE_PREFIX = "overlay.";

    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;

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
        return (mode & S_IFMT) == S_IFCHR && rdev == 0;
    }

    /** True for a directory marked {@code user.overlay.opaque="y"}. */
    public static boolean isOpaque(Path directory) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(directory, UserDefinedFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view == null || !view.list().contains(OVERLAY_ATTRIBUTE_PREFIX + "opaque")) {
            return false;
        }
        String name = OVERLAY_ATTRIBUTE_PREFIX + "opaque";
        ByteBuffer value = ByteBuffer.allocate(view.size(name));
        view.read(name, value);
        value.flip();
        return StandardCharsets.UTF_8.decode(value).toString().equals("y");
    }

    /** True for an attribute name (as Java's user-defined view gives it) that belongs to overlayfs. */
    public static boolean isOverlayAttribute(String userAttributeName) {
        return userAttributeName.startsWith(OVERLAY_ATTRIBUTE_PREFIX);
    }

    private static String relative(Path root, Path path) {
        return root.relativize(path).toString();
    }
}
