package dev.jetpack.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A successful trial run is remembered for this boot: a fresh runtime object (as in the next JVM) takes it over
 * without a trial container, with the state the trial found (crun's hidden cgroup2 mounts); a record for another
 * key is not used.
 */
class ProbeRecordTest {
    @Test
    void aPassedTrialIsTakenOverByTheNextRunWithItsState() throws Exception {
        OciRuntime first = OciRuntime.crun();
        ProbeRecord record = ProbeRecord.of("crun", AbstractRuntime.findExecutable("crun").orElseThrow())
                .orElseThrow();
        Files.deleteIfExists(record.file());
        assertThat(first.unavailableReason()).as("crun works here (.ci/run installs it)").isEmpty();
        assertThat(first.probeRemembered()).isFalse();
        assertThat(first.probeMillis()).isGreaterThanOrEqualTo(0);
        assertThat(record.file()).isRegularFile();

        OciRuntime next = OciRuntime.crun();
        assertThat(next.unavailableReason()).isEmpty();
        assertThat(next.probeRemembered()).isTrue();
        assertThat(next.probeMillis()).as("no trial container").isEqualTo(-1);
        assertThat(next.usesCgroup2Workaround()).isEqualTo(first.usesCgroup2Workaround());
    }

    @Test
    void aRecordOfAnotherToolOrBootIsNotUsed() throws Exception {
        ProbeRecord record = ProbeRecord.of("crun", AbstractRuntime.findExecutable("crun").orElseThrow())
                .orElseThrow();
        record.save(List.of("/sys/fs/cgroup/unified"));
        assertThat(record.load()).contains(List.of("/sys/fs/cgroup/unified"));
        List<String> lines = Files.readAllLines(record.file());
        Files.write(record.file(), List.of(lines.get(0), "0".repeat(64), "/sys/fs/cgroup/unified"));
        assertThat(record.load()).as("the key no longer matches").isEmpty();
        Files.delete(record.file());
        assertThat(OciRuntime.crun().probeRemembered()).as("probed again, by trial").isFalse();
        Path file = record.file();
        assertThat(file).as("and remembered again").isRegularFile();
    }
}
