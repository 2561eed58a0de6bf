package dev.jetpack.engine.store;

import dev.jetpack.engine.io.FileTrees;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * Lays one private copy of a layer over another by renaming, which is how appc's "later files win" becomes
 * cheap: everything the upper layer lacks is moved in from the lower one, nothing is copied byte by byte.
 *
 * <p>Rules, per path: the upper layer's entry wins whatever the kinds are (a file replaces a directory, a
 * directory replaces a file or a symbolic link, and so on); only where both layers have a real directory are
 * the two merged, entry by entry, keeping the upper directory's own mode, owner and times. Symbolic links are
 * never followed, so a link in one layer cannot redirect entries of the other outside the tree. Renames keep
 * inodes, so modes, owners, times, hard links and device nodes survive untouched.
 */
final class LayerMerger {
    private LayerMerger() {
    }

    /**
     * Merges {@code lower} into {@code upper}; afterwards {@code upper} holds the combined tree and
     * {@code lower} is gone. Both must be private working copies on the same file system.
     */
    static void mergeBelow(Path upper, Path lower) throws IOException {
        mergeDirectory(upper, lower);
        FileTrees.deleteRecursively(lower);
    }

    private static void mergeDirectory(Path upper, Path lower) throws IOException {
        BasicFileAttributes upperTimes = Files.readAttributes(upper, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        boolean changed = false;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(lower)) {
            for (Path lowerEntry : entries) {
                Path upperEntry = upper.resolve(lowerEntry.getFileName().toString());
                if (!Files.exists(upperEntry, LinkOption.NOFOLLOW_LINKS)) {
                    Files.move(lowerEntry, upperEntry);
                    changed = true;
                } else if (Files.isDirectory(upperEntry, LinkOption.NOFOLLOW_LINKS)
                        && Files.isDirectory(lowerEntry, LinkOption.NOFOLLOW_LINKS)) {
                    mergeDirectory(upperEntry, lowerEntry);
                }
                // Otherwise the upper entry wins and the lower one is deleted with the rest of the lower tree.
            }
        }
        if (changed) {
            restoreTimes(upper, upperTimes.lastModifiedTime(), upperTimes.lastAccessTime());
        }
    }

    /** Puts back a directory's times after entries were added or removed (which the kernel records as a change). */
    static void restoreTimes(Path directory, FileTime modified, FileTime accessed) throws IOException {
        Files.getFileAttributeView(directory, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(modified, accessed, null);
    }
}
