package dev.jetpack.engine.runtime;

import dev.jetpack.engine.base.HostRootfs;
import dev.jetpack.engine.io.HostCommand;
import dev.jetpack.engine.io.Mounts;
import dev.jetpack.engine.testing.ChildJvm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM to a JVM in the middle of a build (what Ctrl-C and CI cancellation do): its shutdown hook must kill
 * the container and remove the overlay, leaving no process, no mount, no container directory.
 */
class ShutdownCleanupTest {
    @TempDir
    static Path shared;
    static Path rootfs;

    @BeforeAll
    static void buildRootfs() {
        rootfs = shared.resolve("rootfs");
        HostRootfs.create(rootfs, List.of("sh", "sleep", "echo"));
    }

    static List<String> runtimes() {
        return Runtimes.usable().stream().map(ContainerRuntime::name).toList();
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void sigtermKillsTheContainerAndRemovesTheBuildContainer(String runtime) throws Exception {
        Path containers = shared.resolve("containers-" + runtime);
        List<Path> mountsBefore = Mounts.mountPointsUnder(shared);
        Process victim = new ProcessBuilder(ChildJvm.command(List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1"),
                SigtermVictim.class, List.of(runtime, rootfs.toString(), containers.toString())))
                .redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        List<ProcessHandle> family;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(victim.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null && !line.equals("started")) {
                output.add(line);
            }
            assertThat(line).as("victim output: " + output).isEqualTo("started");
            family = victim.descendants().toList();
            assertThat(family).isNotEmpty();
            assertThat(Mounts.mountPointsUnder(containers)).hasSize(1);

            victim.destroy(); // SIGTERM
            assertThat(victim.waitFor(30, TimeUnit.SECONDS)).as("victim exited").isTrue();
        }
        for (ProcessHandle process : family) {
            process.onExit().get(10, TimeUnit.SECONDS);
            assertThat(process.isAlive()).as("container process " + process.pid()).isFalse();
        }
        assertThat(Mounts.mountPointsUnder(shared)).isEqualTo(mountsBefore);
        assertThat(containers).isEmptyDirectory();
        assertThat(rootfs.resolve("proc")).doesNotExist();
        if (runtime.equals("runc") || runtime.equals("crun")) {
            String prefix = OciRuntime.CONTAINER_ID_PREFIX + victim.pid() + "-";
            // crun lists through the same hybrid-cgroup check as everything else; runc lists plainly.
            String list = runtime.equals("runc") ? HostCommand.run(List.of("runc", "list", "-q")).output()
                    : HostCommand.run(List.of("ls", "/run/crun")).output();
            assertThat(list).doesNotContain(prefix);
        }
    }
}
