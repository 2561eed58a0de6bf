package dev.jetpack.engine.runtime;

import dev.jetpack.engine.testing.RecordingLog;
import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.io.Mounts;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuntimesTest {
    @Test
    void knowsEveryRuntimeInAutosOrderAndEachProbeEitherWorksOrSaysWhyWithItsName() {
        assertThat(Runtimes.all()).extracting(ContainerRuntime::name).containsExactly("crun", "runc", "bwrap", "chroot");
        for (ContainerRuntime runtime : Runtimes.all()) {
            runtime.unavailableReason().ifPresent(reason -> assertThat(reason).startsWith(runtime.name() + ": "));
        }
        assertThat(Runtimes.usable()).extracting(ContainerRuntime::name).contains("chroot");
    }

    @Test
    void autoTakesTheFirstUsableRuntimeAndSaysWhichAndWhy() {
        RecordingLog log = new RecordingLog();
        ContainerRuntime chosen = Runtimes.select("auto", log);
        assertThat(chosen).isSameAs(Runtimes.usable().get(0));
        assertThat(log.messages()).anyMatch(line -> line.startsWith("INFO Container runtime: " + chosen.name()));
    }

    @Test
    void crunEitherRunsOrItsProbeExplainsTheHybridCgroupProblem() throws IOException {
        OciRuntime crun = (OciRuntime) Runtimes.all().get(0);
        boolean installed = AbstractRuntime.findExecutable("crun").isPresent();
        boolean hybrid = !Mounts.mountPointsOfType("cgroup2").isEmpty() && !Mounts.mountPointsOfType("cgroup").isEmpty();
        if (!installed) {
            assertThat(crun.unavailableReason()).hasValueSatisfying(r -> assertThat(r).contains("not installed"));
        } else if (crun.unavailableReason().isPresent()) {
            assertThat(crun.unavailableReason().get()).contains("hybrid");
        } else if (hybrid && crunRefusesHybridHere()) {
            assertThat(crun.usesCgroup2Workaround()).isTrue();
        }
    }

    /* crun refuses hybrid hosts only when the cgroup2 hierarchy has controllers. */
    private static boolean crunRefusesHybridHere() throws IOException {
        for (java.nio.file.Path point : Mounts.mountPointsOfType("cgroup2")) {
            if (!java.nio.file.Files.readString(point.resolve("cgroup.controllers")).isBlank()) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aForcedRuntimeIsUsedAsIsAndAcceptsTheBubblewrapAlias() {
        ContainerRuntime chroot = Runtimes.select("chroot", EngineLog.SILENT);
        assertThat(chroot.name()).isEqualTo("chroot");
        if (Runtimes.usable().stream().anyMatch(r -> r.name().equals("bwrap"))) {
            assertThat(Runtimes.select("Bubblewrap", EngineLog.SILENT).name()).isEqualTo("bwrap");
        }
    }

    @Test
    void aForcedRuntimeThatDoesNotWorkHereFailsWithTheReasonAndTheAlternatives() {
        OciRuntime missing = new OciRuntime("no-such-runtime");
        List<ContainerRuntime> candidates = List.of(missing, new ChrootRuntime());
        assertThatThrownBy(() -> Runtimes.select("no-such-runtime", EngineLog.SILENT, candidates))
                .isInstanceOf(ContainerException.class)
                .hasMessageContaining("'no-such-runtime' cannot be used on this host")
                .hasMessageContaining("not installed")
                .hasMessageContaining("Choose one that works here: chroot");
        RecordingLog log = new RecordingLog();
        assertThat(Runtimes.select("auto", log, candidates).name()).isEqualTo("chroot");
        assertThat(log.messages()).anyMatch(line -> line.contains("passed over: no-such-runtime: not installed"));
    }

    @Test
    void anUnknownNameListsTheChoices() {
        assertThatThrownBy(() -> Runtimes.select("docker", EngineLog.SILENT))
                .isInstanceOf(ContainerException.class)
                .hasMessageContaining("'docker'").hasMessageContaining("auto, crun, runc, bwrap, chroot");
    }
}
