package dev.jetpack.maven;

import dev.jetpack.engine.io.AtomicFiles;
import dev.jetpack.engine.io.FileTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What the prepare steps with {@code <creates>} made, and whether each step is up to date, as make decides it
 * for a file target: a step is up to date when its record says it finished with the same command and outputs
 * and every output exists. The record is removed before the step runs and written only after it succeeded,
 * so a failed or killed step runs again next time (its outputs are removed first, since they may be half
 * made).
 *
 * <p>The build directory is staged afresh on every build; outputs of finished steps are moved aside before
 * and back after (renames, no copies), so that a debootstrapped rootfs survives while a file removed from the
 * sources does not.
 *
 * <p>Layout under {@code target/jetpack/}: {@code prepared/step-N} (the record of step N),
 * {@code prepared/kept/step-N/PATH} (outputs while the build directory is staged again).
 */
final class PreparedOutputs {
    private static final String RUN = "run ";
    private final Path records;

    PreparedOutputs(Path workDirectory) {
        this.records = workDirectory.resolve("prepared");
    }

    /** What the record of a finished step starts with: its command and outputs. */
    private static String record(PrepareStep step, List<Path> outputs) {
        return "command " + step.command() + "\ncreates " + outputs + "\n";
    }

    /** True when step {@code number} finished with this command and outputs, and all of them exist. */
    boolean upToDate(int number, PrepareStep step, List<Path> outputs, Path staging) throws IOException {
        if (outputs.isEmpty()) {
            return false;
        }
        Optional<String> record = runIdentity(number);
        if (record.isEmpty() || !record.get().startsWith(record(step, outputs) + RUN)) {
            return false;
        }
        for (Path output : outputs) {
            if (!Files.exists(staging.resolve(output), LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
        }
        return true;
    }

    /** Before step {@code number} runs: its record goes, and so do outputs a killed or changed run left. */
    void starting(int number, List<Path> outputs, Path staging) throws IOException {
        Files.deleteIfExists(records.resolve("step-" + number));
        for (Path output : outputs) {
            Path path = staging.resolve(output);
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                FileTrees.deleteRecursively(path);
            }
        }
    }

    /**
     * After step {@code number} succeeded: its record, with a line that is new on every run, so that what the
     * run made can be told from what an earlier run made without looking inside it ({@link #runIdentity}).
     */
    void finished(int number, PrepareStep step, List<Path> outputs) throws IOException {
        if (!outputs.isEmpty()) {
            AtomicFiles.write(records.resolve("step-" + number),
                    (record(step, outputs) + RUN + UUID.randomUUID() + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * The record of the last successful run of step {@code number}: its command, outputs and the run's own
     * line. While it stays the same, the outputs are those that run made (a build takes them by it rather than
     * walking them); empty when the step has no record.
     */
    Optional<String> runIdentity(int number) throws IOException {
        Path record = records.resolve("step-" + number);
        if (!Files.isRegularFile(record, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        return Optional.of(Files.readString(record, StandardCharsets.UTF_8));
    }

    /** Moves the outputs of step {@code number} out of the staged build directory (those that exist). */
    void keep(int number, List<Path> outputs, Path staging) throws IOException {
        Path kept = records.resolve("kept/step-" + number);
        if (Files.exists(kept, LinkOption.NOFOLLOW_LINKS)) {
            FileTrees.deleteRecursively(kept); // a run killed between keep and restore
        }
        for (Path output : outputs) {
            Path path = staging.resolve(output);
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(kept.resolve(output).getParent());
                Files.move(path, kept.resolve(output), StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    /**
     * Moves the kept outputs of step {@code number} back into the freshly staged build directory.
     *
     * @throws ConfigurationException when the sources now hold the same path
     */
    void restore(int number, List<Path> outputs, Path staging, Path source) throws IOException,
            ConfigurationException {
        Path kept = records.resolve("kept/step-" + number);
        for (Path output : outputs) {
            Path from = kept.resolve(output);
            if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Path to = staging.resolve(output);
            if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
                throw new ConfigurationException(output + " is both in the build directory " + source
                        + " and created by prepare step " + number + " (<creates>): remove it from the build"
                        + " directory, or from <creates>");
            }
            Files.createDirectories(to.getParent());
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        }
        if (Files.exists(kept, LinkOption.NOFOLLOW_LINKS)) {
            FileTrees.deleteRecursively(kept);
        }
    }
}
