package dev.jetpack.engine.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncrementalBuildTest {
    @TempDir
    Path dir;
    Path aci;
    Path idFile;
    RecordingLog log = new RecordingLog();

    @BeforeEach
    void outputs() throws Exception {
        aci = dir.resolve("app-1.0.aci");
        idFile = dir.resolve("app-1.0.aci.id");
        Files.writeString(aci, "aci bytes");
        Files.writeString(idFile, "sha512-...\n");
    }

    private IncrementalBuild check(String configuration) {
        return new IncrementalBuild(BuildFingerprint.builder().value("configuration", configuration).build(), aci,
                idFile, log);
    }

    @Test
    void withoutARecordItBuilds() {
        IncrementalBuild.Decision decision = check("x").decide();
        assertThat(decision.reuse()).isFalse();
        assertThat(decision.reason()).isEqualTo("no record of a previous build");
        assertThat(log.messages()).allMatch(m -> m.startsWith("DEBUG "));
    }

    @Test
    void unchangedInputsAndOutputsAreReusedAndTheLogSaysWhy() {
        check("x").remember();
        assertThat(IncrementalBuild.recordFile(aci)).isRegularFile().hasFileName("app-1.0.aci.fingerprint");

        IncrementalBuild.Decision decision = check("x").decide();
        assertThat(decision.reuse()).isTrue();
        assertThat(log.messages()).anyMatch(m -> m.startsWith("INFO Image " + aci + " is up to date")
                && m.contains("delete app-1.0.aci.fingerprint"));
    }

    @Test
    void aChangedInputIsNamed() {
        check("x").remember();
        IncrementalBuild.Decision decision = check("y").decide();
        assertThat(decision.reuse()).isFalse();
        assertThat(decision.changed()).containsExactly("configuration");
        assertThat(log.messages()).contains("INFO Rebuilding app-1.0.aci: changed since the last build:"
                + " configuration");
    }

    @Test
    void outputsChangedByAnyoneElseAreRebuilt() throws Exception {
        check("x").remember();
        Files.setLastModifiedTime(aci, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        assertThat(check("x").decide().changed()).containsExactly("output ACI");

        check("x").remember();
        Files.writeString(idFile, "sha512-other\n");
        assertThat(check("x").decide().changed()).containsExactly("output ID file");

        check("x").remember();
        Files.delete(idFile);
        IncrementalBuild.Decision missing = check("x").decide();
        assertThat(missing.reuse()).isFalse();
        assertThat(missing.reason()).contains("missing");
        assertThat(log.messages()).contains("INFO Rebuilding: app-1.0.aci or its ID file is missing");
    }

    @Test
    void forgettingOrAnUnreadableRecordMeansABuild() throws Exception {
        check("x").remember();
        IncrementalBuild.forget(aci);
        assertThat(IncrementalBuild.recordFile(aci)).doesNotExist();
        assertThat(check("x").decide().reuse()).isFalse();

        Files.writeString(IncrementalBuild.recordFile(aci), "not a fingerprint\n");
        assertThat(check("x").decide().reason()).isEqualTo("no record of a previous build");
        IncrementalBuild.forget(aci);
        IncrementalBuild.forget(aci); // nothing to delete is fine
    }
}
