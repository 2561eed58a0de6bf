package dev.jetpack.maven;

import dev.jetpack.engine.build.BuildFingerprint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the staged build directory can stay as the last {@code jetpack:prepare} left it, as make keeps a target
 * that is newer than its sources. Staging again runs a {@code cp} process on every build: most of what a
 * no-op prepare would otherwise take.
 *
 * <p>The record ({@code target/jetpack/prepared/staging}) is the {@link BuildFingerprint} of what the copy was
 * made from (the build directory, the copied artifacts and where they go) plus the staged tree as the prepare
 * left it, apart from what the prepare steps create, which {@link PreparedOutputs} keeps track of. The staged
 * copy is kept only when both are unchanged: a file edited or added in the staged copy by hand is restaged
 * away, as a fresh copy would. The record is removed before staging starts and written only after the prepare
 * steps succeeded, so an interrupted prepare stages afresh next time.
 */
final class StagingRecord {
    private final Path record;

    StagingRecord(Path workDirectory) {
        this.record = workDirectory.resolve("prepared").resolve("staging");
    }

    /**
     * True when the last prepare staged {@code staging} from the same {@code sources} and nothing in it has
     * changed since, {@code outputs} (relative paths, {@code /}-separated) aside.
     */
    boolean upToDate(BuildFingerprint sources, Path staging, Set<String> outputs) throws IOException {
        Optional<BuildFingerprint> previous = BuildFingerprint.read(record);
        return previous.isPresent() && Files.isDirectory(staging)
                && previous.get().equals(withStaged(sources, staging, outputs));
    }

    /** Before staging starts. */
    void forget() throws IOException {
        Files.deleteIfExists(record);
    }

    /** After the staging and the prepare steps succeeded. */
    void remember(BuildFingerprint sources, Path staging, Set<String> outputs) throws IOException {
        withStaged(sources, staging, outputs).write(record);
    }

    private static BuildFingerprint withStaged(BuildFingerprint sources, Path staging, Set<String> outputs)
            throws IOException {
        return BuildFingerprint.builder().include(sources).tree("staged build directory", staging, outputs).build();
    }
}
