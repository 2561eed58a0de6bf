package dev.jetpack.engine.io;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Copies a file or a directory tree the way {@code cp -a} does for what a build needs: modes (with setuid,
 * setgid and sticky bits), owners, modification times and user extended attributes are kept, symbolic links
 * are copied as links and never followed, FIFOs and device nodes are recreated. Hard links inside the source
 * are not preserved (each name becomes its own file).
 */
public final class TreeCopy {
    private TreeCopy() {
    }

    /**
     * Copies {@code source} (file, link or directory) to {@code target}, which must not exist yet.
     *
     * @throws FileAlreadyExistsException if {@code target} or anything the copy would create exists
     */
    public static void copy(Path source, Path target) throws IOException {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            copyEntry(source, target);
            return;
        }
        // Directory times are restored after their contents are in, because adding a child changes them.
        Deque<FileTime> directoryTimes = new ArrayDeque<>();
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                copyEntry(dir, target.resolve(source.relativize(dir).toString()));
                directoryTimes.push(attrs.lastModifiedTime());
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                copyEntry(file, target.resolve(source.relativize(file).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.setLastModifiedTime(target.resolve(source.relativize(dir).toString()), directoryTimes.pop());
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** One entry without its children; the JDK's Unix copy keeps the full mode, owner, times and xattrs. */
    private static void copyEntry(Path source, Path target) throws IOException {
        Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    }
}
