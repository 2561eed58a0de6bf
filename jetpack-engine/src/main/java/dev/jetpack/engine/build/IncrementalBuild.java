package dev.jetpack.engine.build;

import dev.jetpack.engine.EngineLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * No-op rebuilds: decides whether the ACI a previous build wrote can be reused, and keeps the record that makes
 * this decision possible ({@code <aci>.fingerprint}, next to the ACI).
 *
 * <p>The record is the {@link BuildFingerprint} of the build's inputs plus the metadata of the ACI and its ID
 * file as written. The output is reused only when the record exists, the inputs are unchanged and the two
 * output files are exactly as that build left them (so an ACI replaced or touched by someone else is rebuilt).
 * The record is deleted before a build starts and written only after the outputs are complete: a build that
 * fails or is killed leaves no record that could match.
 */
public final class IncrementalBuild {
    /** Suffix of the record next to the ACI. */
    public static final String RECORD_SUFFIX = ".fingerprint";

    private final BuildFingerprint inputs;
    private final Path aci;
    private final Path idFile;
    private final EngineLog log;

    /**
     * @param inputs the fingerprint of everything that decides the image (see {@link ImageBuildPlan})
     * @param aci    the ACI the build writes
     * @param idFile the file the build writes the image ID to
     * @param log    receives why a build is skipped or runs again
     */
    public IncrementalBuild(BuildFingerprint inputs, Path aci, Path idFile, EngineLog log) {
        this.inputs = Objects.requireNonNull(inputs, "inputs");
        this.aci = Objects.requireNonNull(aci, "aci");
        this.idFile = Objects.requireNonNull(idFile, "idFile");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** Where the record of the build that wrote {@code aci} is kept. */
    public static Path recordFile(Path aci) {
        return aci.resolveSibling(aci.getFileName() + RECORD_SUFFIX);
    }

    /**
     * The answer to "may the last output be reused?", with the reason.
     *
     * @param reuse   true when the ACI and ID file are up to date
     * @param reason  why, in words, for the log
     * @param changed the fingerprint components that changed since the last build (empty unless a comparison
     *                was made and found differences)
     */
    public record Decision(boolean reuse, String reason, List<String> changed) {
        public Decision {
            Objects.requireNonNull(reason, "reason");
            changed = List.copyOf(changed);
        }
    }

    /**
     * Compares the inputs and the outputs with the record of the last build and logs the outcome: reuse at info
     * level, a rebuild with what changed at info level, a first build (no record) at debug level.
     *
     * @throws BuildException when the outputs exist but cannot be read
     */
    public Decision decide() {
        Path record = recordFile(aci);
        Optional<BuildFingerprint> previous = BuildFingerprint.read(record);
        if (previous.isEmpty()) {
            log.debug("No record of a previous build in " + record + ": building");
            return new Decision(false, "no record of a previous build", List.of());
        }
        if (!Files.isRegularFile(aci) || !Files.isRegularFile(idFile)) {
            log.info("Rebuilding: " + aci.getFileName() + " or its ID file is missing");
            return new Decision(false, aci.getFileName() + " or its ID file is missing", List.of());
        }
        List<String> changed = withOutputs().differencesFrom(previous.get());
        if (!changed.isEmpty()) {
            String reason = "changed since the last build: " + String.join(", ", changed);
            log.info("Rebuilding " + aci.getFileName() + ": " + reason);
            return new Decision(false, reason, changed);
        }
        log.info("Image " + aci + " is up to date: its build directory, copied files, parent image, manifest and"
                + " configuration are unchanged since it was built; reusing it (delete " + record.getFileName()
                + " to force a build)");
        return new Decision(true, "unchanged since the last build", List.of());
    }

    /**
     * Deletes the record of the build that wrote {@code aci}, before a build starts, so that a build that fails
     * or is interrupted never leaves a record that matches.
     *
     * @throws BuildException when the record cannot be deleted
     */
    public static void forget(Path aci) {
        Path record = recordFile(aci);
        try {
            Files.deleteIfExists(record);
        } catch (IOException e) {
            throw new BuildException("Cannot delete " + record + ", the record of the last build: " + e
                    + ". Check the permissions of " + record.getParent() + ".", e);
        }
    }

    /**
     * Writes the record after the ACI and the ID file are complete.
     *
     * @throws BuildException when the record cannot be written
     */
    public void remember() {
        Path record = recordFile(aci);
        try {
            withOutputs().write(record);
        } catch (IOException e) {
            throw new BuildException("Cannot write " + record + ", the record that lets an unchanged build be"
                    + " skipped: " + e + ". Check free space and permissions of " + record.getParent() + ".", e);
        }
    }

    private BuildFingerprint withOutputs() {
        try {
            return BuildFingerprint.builder().include(inputs)
                    .tree("output ACI", aci)
                    .tree("output ID file", idFile)
                    .build();
        } catch (IOException e) {
            throw new BuildException("Cannot read " + aci + " or " + idFile + " to see whether they changed: " + e
                    + ". Check their permissions.", e);
        }
    }
}
