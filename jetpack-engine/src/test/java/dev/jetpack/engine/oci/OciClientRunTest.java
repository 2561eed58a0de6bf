package dev.jetpack.engine.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.io.Mounts;
import dev.jetpack.engine.testing.PrivateDockerd;
import dev.jetpack.engine.testing.PrivatePodman;
import dev.jetpack.engine.testing.RecordingLog;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported docker archive of a three-image chain loads into the real clients and runs there with the appc app's
 * user, environment, working directory and output: podman with storage of its own, and a docker daemon the test
 * starts on a private socket and stops by its pid.
 */
class OciClientRunTest {
    @TempDir
    static Path temp;

    private static Path archive;

    @BeforeAll
    static void exportTheApp() throws Exception {
        RecordingLog log = new RecordingLog();
        OciTestImages images = new OciTestImages(temp.resolve("images"), log);
        archive = temp.resolve("app.tar");
        new OciExporter(images.store, log, ProgressListener.NONE).export(images.app,
                OciExportOptions.builder(OciExportFormat.DOCKER_ARCHIVE, archive).build());
    }

    @Test
    void podmanLoadsAndRunsTheArchive() throws Exception {
        Path storage = temp.resolve("podman");
        try (PrivatePodman podman = new PrivatePodman(storage)) {
            assertThat(podman.check("load", "--input", archive.toString())).contains("example.com/app:1.2.3");
            assertThat(podman.run("example.com/app:1.2.3").strip()).isEqualTo(OciTestImages.EXPECTED_OUTPUT);
            assertThat(podman.run("example.com/app:1.2.3", "one", "two").strip())
                    .as("arguments append to the entrypoint").isEqualTo(OciTestImages.EXPECTED_OUTPUT + "one two");
        }
        assertThat(Mounts.mountPointsUnder(temp)).isEmpty();
    }

    @Test
    void dockerLoadsAndRunsTheArchive() throws Exception {
        try (PrivateDockerd docker = PrivateDockerd.start(temp.resolve("docker"))) {
            assertThat(docker.check("load", "--input", archive.toString())).contains("example.com/app:1.2.3");
            assertThat(docker.check("run", "--rm", "--network", "none", "example.com/app:1.2.3").strip())
                    .isEqualTo(OciTestImages.EXPECTED_OUTPUT);
            assertThat(docker.check("image", "inspect", "--format", "{{.Config.User}} {{.Config.WorkingDir}}",
                    "example.com/app:1.2.3").strip()).isEqualTo("1000:1001 /app");
        }
        assertThat(Mounts.mountPointsUnder(temp)).isEmpty();
    }
}
