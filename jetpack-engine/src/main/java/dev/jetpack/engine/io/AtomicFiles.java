package dev.jetpack.engine.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that readers only ever see nothing or the complete result.
 *
 * <p>Content goes to a temporary sibling named {@code .NAME.tmp-PID.START-*} and is renamed over the target
 * only once the writer returned normally. A failure deletes the temporary file; a killed process cannot, so the
 * name carries the writer's {@link ProcessStamp}, and the next atomic write of the same target deletes the
 * temporary siblings whose writer is gone ({@link #removeStaleTemporaries}).
 */
public final class AtomicFiles {
    /** Marker in the names of temporary siblings; cleanup code recognises leftovers by it. */
    public static final String TEMP_MARKER = ".tmp-";
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private AtomicFiles() {
    }

    /** The body of an atomic write: receives the temporary file's stream. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** The body of an atomic write that wants the temporary path itself (e.g. to hand it to another tool). */
    @FunctionalInterface
    public interface PathWriter {
        void write(Path temporary) throws IOException;
    }

    public static void write(Path target, Writer writer) throws IOException {
        writePath(target, temporary -> {
            try (OutputStream out = Files.newOutputStream(temporary)) {
                writer.write(out);
            }
        });
    }

    public static void write(Path target, byte[] content) throws IOException {
        write(target, out -> out.write(content));
    }

    public static void writePath(Path target, PathWriter writer) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        removeStaleTemporaries(target);
        Path temporary = createTemporary(parent, temporaryPrefix(target) + ProcessStamp.current() + "-");
        boolean done = false;
        try {
            writer.write(temporary);
            move(temporary, target);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /*
     * Not Files.createTempFile: that makes the file 0600, and the rename would hand those modes to the target
     * (an ACI a web server could not serve). Files.createFile takes the usual 0666 less the umask.
     */
    private static Path createTemporary(Path directory, String prefix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path candidate = directory.resolve(prefix + Long.toUnsignedString(RANDOM.nextLong(), 36));
            try {
                return Files.createFile(candidate);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt > 10) {
                    throw e;
                }
            }
        }
    }

    /** Renames {@code source} onto {@code target}, atomically where the file system allows it. */
    public static void move(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Deletes the temporary siblings of {@code target} left by writers that died (killed, or the machine
     * stopped) while writing it; those of live writers, in this JVM or another, stay.
     *
     * @return the files deleted
     */
    public static java.util.List<Path> removeStaleTemporaries(Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        String prefix = temporaryPrefix(target);
        java.util.List<Path> removed = new java.util.ArrayList<>();
        if (!Files.isDirectory(parent)) {
            return removed;
        }
        try (java.nio.file.DirectoryStream<Path> siblings = Files.newDirectoryStream(parent,
                entry -> entry.getFileName().toString().startsWith(prefix))) {
            for (Path sibling : siblings) {
                String rest = sibling.getFileName().toString().substring(prefix.length());
                java.util.Optional<ProcessStamp> writer = ProcessStamp.find(rest);
                if (writer.isPresent() && !writer.get().isAlive()
                        && Files.isRegularFile(sibling, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(sibling);
                    removed.add(sibling);
                }
            }
        }
        return removed;
    }

    private static String temporaryPrefix(Path target) {
        return "." + target.getFileName() + TEMP_MARKER;
    }

    /** True for the temporary siblings this class creates, which are garbage once their writer is gone. */
    public static boolean isTemporary(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") && name.contains(TEMP_MARKER);
    }
}
