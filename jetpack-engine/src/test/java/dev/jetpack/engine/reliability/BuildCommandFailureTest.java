package dev.jetpack.engine.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.build.ImageBuildSpec;
import dev.jetpack.engine.build.ImageBuild;
import dev.jetpack.engine.build.BuildFailedException;
import dev.jetpack.engine.store.ImportOptions;
import dev.jetpack.engine.store.StoredImage;
import dev.jetpack.engine.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jetpack.engine.io.HostCommand;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build command fails, or is killed by SIGKILL inside the container (the OOM killer, a user): the build
 * fails with the code, and nothing is left: no mount, no container, no OCI container, no output, no image.
 */
class BuildCommandFailureTest {
    @TempDir
    Path temp;

    @Test
    @DisplayName("the build command exits 3 (runc): the build fails with 3, nothing is left")
    void commandFails() throws Exception {
        Fixture f = new Fixture();
        assertThatThrownBy(() -> f.jetpack.buildImage(ImageBuildSpec.derivative(f.parent).output(f.output)
                .command(List.of("/bin/sh", "-c", "echo partial > /junk; exit 3")).build()))
                .isInstanceOf(BuildFailedException.class)
                .hasMessageContaining("3");
        assertNothingLeft(f, "command fails with exit 3");
    }

    @Test
    @DisplayName("the container's process is killed with SIGKILL from the host (runc): the build fails, nothing is left")
    void commandKilled() throws Exception {
        Fixture f = new Fixture();
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<ImageBuild> build = CompletableFuture.supplyAsync(() -> f.jetpack.buildImage(
                ImageBuildSpec.derivative(f.parent).output(f.output)
                        .command(List.of("/bin/sh", "-c", "echo partial > /junk; echo READY; exec sleep 600"))
                        .commandOutput((stream, line) -> {
                            if (line.equals("READY")) {
                                running.countDown();
                            }
                        }).build()));
        assertThat(running.await(60, TimeUnit.SECONDS)).as("the command started").isTrue();
        List<String> ids = Processes.runcContainersOf(ProcessHandle.current().pid());
        assertThat(ids).hasSize(1);
        JsonNode state = new ObjectMapper().readTree(HostCommand.run(List.of("runc", "state", ids.get(0))).output());
        HostCommand.check(List.of("kill", "-9", state.path("pid").asText()));

        assertThatThrownBy(() -> build.get(60, TimeUnit.SECONDS))
                .hasCauseInstanceOf(BuildFailedException.class)
                .hasMessageContaining("137");
        assertNothingLeft(f, "container process killed with SIGKILL");
    }

    /** A store with the parent image and an output path in target/. */
    final class Fixture {
        final Path store = temp.resolve("store");
        final Jetpack jetpack = KilledRunRecoveryTest.jetpack(store, new RecordingLog());
        final StoredImage parent;
        final Path output = temp.resolve("target/child.aci");

        Fixture() throws java.io.IOException {
            parent = jetpack.store().importAci(Processes.parentAci(temp, "example.com/parent"),
                    ImportOptions.defaults());
        }
    }

    private void assertNothingLeft(Fixture f, String what) throws Exception {
        Path store = f.store;
        Path output = f.output;
        Jetpack jetpack = f.jetpack;
        StoredImage parent = f.parent;

        assertThat(Processes.mountsUnder(store)).as("no mount").isEmpty();
        assertThat(store.resolve("containers")).isEmptyDirectory();
        assertThat(Processes.runcContainersOf(ProcessHandle.current().pid())).as("no runc container").isEmpty();
        assertThat(output).doesNotExist();
        if (Files.isDirectory(output.getParent())) {
            try (Stream<Path> left = Files.list(output.getParent())) {
                assertThat(left).as("nothing in target/").isEmpty();
            }
        }
        assertThat(jetpack.list()).extracting(StoredImage::id).containsExactly(parent.id());
        assertThat(parent.rootfs().resolve("junk")).doesNotExist();
        System.out.println("[build failure] " + what + ": the build failed, nothing left");
    }
}
