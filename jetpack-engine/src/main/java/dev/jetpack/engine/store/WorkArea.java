package dev.jetpack.engine.store;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.io.FileTrees;
import dev.jetpack.engine.io.ProcessStamp;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The store's {@code builds/} directory: temporary files and directories of one operation on their way into
 * the store (build outputs, downloads, spooled standard input, build scripts).
 *
 * <p>Unlike {@link StagingArea}, whose working directories are locked by their owner, these are named after the
 * JVM that made them ({@link ProcessStamp}), so that {@link #removeAbandoned} can tell the garbage of a dead JVM
 * from the work of a live one, in this JVM or another, without holding a lock per file.
 */
public final class WorkArea {
    /** The directory's name in the store. */
    public static final String DIRECTORY = "builds";

    private final Path directory;
    private final EngineLog log;

    WorkArea(Path directory, EngineLog log) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** Where the temporary files are. */
    public Path directory() {
        return directory;
    }

    /**
     * A fresh path (nothing is created there) for a temporary file.
     *
     * @param suffix the file name's ending, e.g. {@code .aci}
     */
    public Path newFile(String suffix) {
        createDirectory();
        return directory.resolve(ProcessStamp.current() + "-" + UUID.randomUUID() + suffix);
    }

    /** A fresh, empty temporary directory. */
    public Path newDirectory() {
        Path created = newFile(".d");
        try {
            return Files.createDirectory(created);
        } catch (IOException e) {
            throw new JetpackException("Cannot create " + created + " in the image store: " + e.getMessage()
                    + ". Check free space and permissions of " + directory + ".", e);
        }
    }

    /** Deletes a temporary file or directory; a failure is only logged, since nothing reads it again. */
    public void deleteQuietly(Path path) {
        try {
            FileTrees.deleteRecursively(path);
        } catch (IOException e) {
            log.warn("Could not delete the temporary " + path + ": " + e.getMessage());
        }
    }

    /**
     * Removes what JVMs that died (killed, crashed) left here, and nothing of a JVM that still runs. Links are
     * never followed.
     *
     * @return the removed paths
     */
    public List<String> removeAbandoned() {
        List<String> removed = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return removed;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                Optional<ProcessStamp> owner = ProcessStamp.find(file.getFileName().toString());
                if (owner.isPresent() && !owner.get().isAlive()) {
                    FileTrees.deleteRecursively(file);
                    removed.add(file.toString());
                    log.info("Removed " + file + ", left by a run that was killed");
                }
            }
        } catch (IOException e) {
            log.warn("Cannot remove leftovers of killed runs in " + directory + ": " + e.getMessage());
        }
        return removed;
    }

    private void createDirectory() {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new JetpackException("Cannot create " + directory + " in the image store: " + e.getMessage()
                    + ". Check free space and permissions of the store.", e);
        }
    }
}
