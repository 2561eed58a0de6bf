package dev.jetpack.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.build.BuildFingerprint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagingRecordTest {
    @TempDir
    Path temp;
    Path source;
    Path staging;
    StagingRecord record;

    @BeforeEach
    void staged() throws Exception {
        source = Files.createDirectories(temp.resolve("src/main/image"));
        Files.writeString(source.resolve("manifest.json"), "{}");
        staging = Files.createDirectories(temp.resolve("target/jetpack/build"));
        Files.writeString(staging.resolve("manifest.json"), "{}");
        Files.createDirectories(staging.resolve("rootfs/etc"));
        record = new StagingRecord(temp.resolve("target/jetpack"));
    }

    private BuildFingerprint sources() throws Exception {
        return BuildFingerprint.builder().tree("build directory", source).build();
    }

    @Test
    void upToDateOnlyOnceRememberedAndUntilASourceOrTheStagedCopyChanges() throws Exception {
        Set<String> outputs = Set.of("rootfs");
        assertThat(record.upToDate(sources(), staging, outputs)).as("no record yet").isFalse();

        record.remember(sources(), staging, outputs);
        assertThat(record.upToDate(sources(), staging, outputs)).isTrue();

        // What a prepare step created is its own record's business.
        Files.writeString(staging.resolve("rootfs/etc/hostname"), "made by debootstrap");
        assertThat(record.upToDate(sources(), staging, outputs)).isTrue();

        Files.writeString(staging.resolve("stray.txt"), "written into the staged copy by hand");
        assertThat(record.upToDate(sources(), staging, outputs)).as("the staged copy changed").isFalse();
        Files.delete(staging.resolve("stray.txt"));
        assertThat(record.upToDate(sources(), staging, outputs)).isTrue();

        Files.writeString(source.resolve("added.txt"), "new in the build directory");
        assertThat(record.upToDate(sources(), staging, outputs)).as("a source changed").isFalse();
    }

    @Test
    void forgottenBeforeStagingAndNothingStagedIsNeverUpToDate() throws Exception {
        record.remember(sources(), staging, Set.of());
        record.forget();
        assertThat(record.upToDate(sources(), staging, Set.of())).isFalse();

        record.remember(sources(), staging, Set.of());
        Files.walk(staging).sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        assertThat(record.upToDate(sources(), staging, Set.of())).isFalse();
    }
}
