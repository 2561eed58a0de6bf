package dev.jetpack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.base.HostRootfs;
import dev.jetpack.engine.io.HostCommand;
import dev.jetpack.engine.store.ImageStore;
import dev.jetpack.engine.testing.PrivatePodman;
import dev.jetpack.engine.testing.TestImages;
import dev.jetpack.engine.testing.TreeSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jetpack export --format oci|docker} as a user runs it, on a layered image built by {@code jetpack build}
 * (which deleted a file of its parent): the layout passes {@code oci-image-tool validate} and unpacks with umoci to
 * the stored tree; the archive loads and runs in podman.
 */
class CliOciExportTest {
    @TempDir
    static Path temp;

    private static Cli cli;
    private static String appId;

    @BeforeAll
    static void buildALayeredApp() throws IOException {
        Path rootfs = temp.resolve("rootfs");
        HostRootfs.busybox(rootfs);
        Files.writeString(Files.createDirectories(rootfs.resolve("etc")).resolve("motd"), "base motd\n");
        Path manifest = TestImages.manifestFile(temp.resolve("base.json"), "example.com/base", "1.0");
        cli = new Cli(temp.resolve("store"), temp);
        Cli.Result made = cli.run("--compression", "gzip", "makeaci", rootfs.toString(), manifest.toString(), "base.aci");
        assertThat(made.exitCode()).as(made.toString()).isZero();
        String baseId = cli.run("import", "base.aci").out().strip();

        Path buildDir = Files.createDirectories(temp.resolve("build-dir"));
        Files.writeString(buildDir.resolve("manifest.json"), """
                {"name": "example.com/cli-app", "labels": [{"name": "version", "value": "2.0"}],
                 "app": {"exec": ["/bin/sh", "-c", "echo \\"$(id -u) $(pwd) $WHO $(cat /srv/message)\\"; test -e /etc/motd || echo motd deleted"],
                         "user": "1000", "group": "1000", "workingDirectory": "/srv",
                         "environment": [{"name": "WHO", "value": "cli"}]}}
                """);
        Cli.Result built = cli.run("build", "--layered", "--dir", buildDir.toString(), baseId, "/bin/sh", "-c",
                "rm /etc/motd && mkdir /srv && echo exported > /srv/message");
        assertThat(built.exitCode()).as(built.toString()).isZero();
        appId = built.out().strip();
    }

    @Test
    void anOciLayoutValidatesAndUnpacksToTheStoredTree() throws IOException {
        Cli.Result exported = cli.run("export", "--format", "oci", "example.com/cli-app", "layout");

        assertThat(exported.exitCode()).as(exported.toString()).isZero();
        assertThat(exported.out()).startsWith("sha256:");
        assertThat(exported.stderr()).contains("Exported example.com/cli-app:2.0", "as example.com/cli-app:2.0@",
                "(2 layers)");
        HostCommand.check(List.of("oci-image-tool", "validate", "--type", "image", "--ref", "name=2.0",
                temp.resolve("layout").toString()));
        HostCommand.check(List.of("umoci", "unpack", "--image", temp.resolve("layout") + ":2.0",
                temp.resolve("bundle").toString()));
        Path stored = ImageStore.open(cli.store(), EngineLog.SILENT).find(appId).rootfs();
        assertThat(tree(temp.resolve("bundle/rootfs"))).isEqualTo(tree(stored));
        assertThat(temp.resolve("bundle/rootfs/etc/motd")).as("deleted by the build: a whiteout").doesNotExist();

        Cli.Result again = cli.run("export", "--format", "oci", appId, "layout-again");
        assertThat(again.out()).as("the same digest on every export").isEqualTo(exported.out());
    }

    @Test
    void aDockerArchiveRunsInPodmanWithTheAppsUserDirectoryAndEnvironment() throws IOException {
        Cli.Result exported = cli.run("export", "--format", "docker", "--tag", "localhost/cli-app:test",
                appId.substring(0, 20), "app.tar");

        assertThat(exported.exitCode()).as(exported.toString()).isZero();
        try (PrivatePodman podman = new PrivatePodman(temp.resolve("podman"))) {
            podman.check("load", "--input", temp.resolve("app.tar").toString());
            assertThat(podman.run("localhost/cli-app:test")).isEqualTo("1000 /srv cli exported\nmotd deleted\n");
        }
    }

    @Test
    void wrongUseIsRefusedWithTheFix() {
        Cli.Result noDestination = cli.run("export", "--format", "docker", appId);
        assertThat(noDestination.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(noDestination.stderr()).contains("give it as DEST", "jetpack export --format docker IMAGE image.tar");

        Cli.Result badTag = cli.run("export", "--format", "oci", "--tag", "Not/Valid:1", appId, "x");
        assertThat(badTag.exitCode()).isEqualTo(2);
        assertThat(badTag.stderr()).contains("'Not' breaks the rule", "NAME:TAG");

        Cli.Result badFormat = cli.run("export", "--format", "tarball", appId, "x");
        assertThat(badFormat.exitCode()).isEqualTo(2);
        assertThat(badFormat.stderr()).contains("use aci, oci or docker");

        Cli.Result badCompression = cli.run("export", "--format", "oci", "--layer-compression", "xz", appId, "x");
        assertThat(badCompression.exitCode()).isEqualTo(2);
        assertThat(badCompression.stderr()).contains("use gzip or none");
        assertThat(temp.resolve("x")).doesNotExist();
    }

    private static Map<String, String> tree(Path root) {
        Map<String, String> tree = new TreeMap<>(TreeSnapshot.withoutTimes(root, Set.of()));
        tree.remove(".");
        return tree;
    }
}
