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
 * <p>Content goes to a temporary sibling named {@code .NAME.tmp-*} (so a crash leaves an obviously stale file
 * that {@link #isTemporary} recognises and the next run can delete) and is renamed over the target only once
 * the writer returned normally.
 */
public final class AtomicFiles {
    /** Marker in the names of temporary siblings; cleanup code recognises leftovers by it. */
    public static final String TEMP_MARKER = ".tmp-";

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
        Path temporary = Files.createTempFile(parent, "." + target.getFileName() + TEMP_MARKER, "");
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

    /** Renames {@code source} onto {@code target}, atomically where the file system allows it. */
    public static void move(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** True for the temporary siblings this class creates, which are garbage once their writer is gone. */
    public static boolean isTemporary(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") && name.contains(TEMP_MARKER);
    }
}
