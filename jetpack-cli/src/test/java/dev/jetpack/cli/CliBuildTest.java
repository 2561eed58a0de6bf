package dev.jetpack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.aci.AciReader;
import dev.jetpack.engine.aci.ReaderOptions;
import dev.jetpack.engine.base.HostRootfs;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.ManifestCodec;
import dev.jetpack.engine.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jetpack build} with a real container runtime (as root, as CI runs), from a small base made of the
 * host's own binaries with {@code jetpack makeaci}.
 */
class CliBuildTest {
    private static final List<String> COMMANDS = List.of("sh", "cat", "rm", "echo", "mkdir");

    @TempDir
    static Path shared;

    private static Path baseAci;

    @TempDir
    Path temp;

    private Cli cli;
    private String baseId;
    private Path buildDir;

    @BeforeAll
    static void makeBase() throws IOException {
        Path rootfs = shared.resolve("rootfs");
        HostRootfs.create(rootfs, COMMANDS);
        Path manifest = TestImages.manifestFile(shared.resolve("base.json"), "example.com/base", "1.0");
        Cli.Result made = new Cli(shared.resolve("store"), shared).run("--compression", "none", "makeaci",
                rootfs.toString(), manifest.toString(), "base.aci");
        assertThat(made.exitCode()).as(made.toString()).isZero();
        baseAci = shared.resolve("base.aci");
    }

    @BeforeEach
    void importBase() throws IOException {
        cli = new Cli(temp.resolve("store"), temp);
        baseId = cli.run("import", baseAci.toString()).out().strip();
        buildDir = Files.createDirectories(temp.resolve("build-dir"));
        Files.writeString(buildDir.resolve("manifest.json"), "{\"name\": \"example.com/child\", \"labels\":"
                + " [{\"name\": \"version\", \"value\": \"2.0\"}]}");
        Files.writeString(buildDir.resolve("data.txt"), "from the build dir\n");
        Files.writeString(temp.resolve("extra.txt"), "from -cp\n");
    }

    @Test
    void flatBuildCopiesTheBuildDirAndExtraFilesRunsTheCommandAndStoresTheImage() throws IOException {
        Cli.Result built = cli.run("--compression", "gzip", "build", "-dir=" + buildDir, "-cp=extra.txt",
                "-saveid", "child.id", "-o", "child.aci", "example.com/base",
                "/bin/sh", "-c", "cat data.txt extra.txt > /result; rm /etc/group; echo done-building");

        assertThat(built.exitCode()).as(built.toString()).isZero();
        String id = built.out().strip();
        assertThat(id).matches("sha512-[0-9a-f]{128}");
        assertThat(built.stderr()).as("the command's output goes to stderr").contains("done-building");
        assertThat(temp.resolve("child.id")).hasContent(id);
        AciReader.Result kept = AciReader.extract(temp.resolve("child.aci"), temp.resolve("child"),
                ReaderOptions.defaults());
        assertThat(kept.id().value()).isEqualTo(id);
        assertThat(temp.resolve("child/result")).hasContent("from the build dir\nfrom -cp");
        assertThat(temp.resolve("child/etc/group")).doesNotExist();
        assertThat(temp.resolve("child/bin/sh")).exists();
        try (Stream<Path> top = Files.list(temp.resolve("child"))) {
            assertThat(top.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith(".jetpack.build"));
        }
        ImageManifest manifest = ManifestCodec.read(cli.run("image-manifest", id).stdout());
        assertThat(manifest.name()).isEqualTo("example.com/child");
        assertThat(manifest.label("os")).as("merged from the parent").contains("linux");
        assertThat(manifest.dependencies()).isEmpty();
        assertThat(cli.run("images", "-q", "-l").lines()).containsExactlyInAnyOrder(baseId, id);
    }

    @Test
    void layeredBuildDependsOnTheBaseWhichCannotBeDestroyedFirst() throws IOException {
        Cli.Result built = cli.run("build", "--layered", "--dir", buildDir.toString(), baseId.substring(0, 20),
                "/bin/sh", "-c", "echo new > /new");

        assertThat(built.exitCode()).as(built.toString()).isZero();
        String id = built.out().strip();
        ImageManifest manifest = ManifestCodec.read(cli.run("image-manifest", "example.com/child:2.0").stdout());
        assertThat(manifest.dependencies()).singleElement().satisfies(dependency -> {
            assertThat(dependency.imageName()).isEqualTo("example.com/base");
            assertThat(dependency.imageID()).isEqualTo(baseId);
        });
        assertThat(cli.run("show-image", id).out()).contains("Dependencies").contains("example.com/base");

        Cli.Result refused = cli.run("destroy-image", baseId);
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(refused.stderr()).contains("example.com/child").contains("depend");

        assertThat(cli.run("export", "-flat", id, "flat.aci").exitCode()).isZero();
        AciReader.extract(temp.resolve("flat.aci"), temp.resolve("flat"), ReaderOptions.defaults());
        assertThat(temp.resolve("flat/new")).hasContent("new");
        assertThat(temp.resolve("flat/bin/sh")).as("the base's files, rendered in").exists();
    }

    @Test
    void aFailingCommandFailsTheBuildAndStoresNothing() {
        Cli.Result failed = cli.run("build", "-dir=" + buildDir, "example.com/base", "/bin/sh", "-c",
                "echo it-broke >&2; exit 3");

        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(failed.stderr()).contains("it-broke").contains("jetpack: error: ").contains("3");
        assertThat(failed.out()).isEmpty();
        assertThat(cli.run("images", "-q", "-l").lines()).containsExactly(baseId);
    }

    @Test
    void aBuildWithoutManifestFailsAndSaysSo() throws IOException {
        Files.delete(buildDir.resolve("manifest.json"));

        Cli.Result failed = cli.run("build", "-dir=" + buildDir, "example.com/base", "/bin/sh", "-c", "true");

        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(failed.stderr()).contains("manifest.json");
        assertThat(cli.run("images", "-q").lines()).hasSize(1);
    }

    @Test
    void buildingOnAnUnknownImageFails() {
        Cli.Result failed = cli.run("build", "example.com/nothing", "/bin/true");

        assertThat(failed.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(failed.stderr()).contains("No image matching example.com/nothing");
    }

    @Test
    void aSecondBuildWithTheSameInputsReusesTheStageAndPruneStagesEmptiesTheCache() throws IOException {
        String[] build = {"build", "-dir=" + buildDir, "--timestamp", "2026-01-01T00:00:00Z", "example.com/base",
            "/bin/sh", "-c", "echo ran-the-command; cat data.txt > /result"};
        Cli.Result first = cli.run(build);
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.stderr()).containsPattern("(?m)^ran-the-command$");

        Cli.Result second = cli.run(build);
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.stderr()).as("reused, not run").doesNotContainPattern("(?m)^ran-the-command$")
                .contains("from the stage cache");
        assertThat(second.out()).isEqualTo(first.out());

        String[] uncached = new String[build.length + 1];
        uncached[0] = "build";
        uncached[1] = "--no-stage-cache";
        System.arraycopy(build, 1, uncached, 2, build.length - 1);
        Cli.Result third = cli.run(uncached);
        assertThat(third.exitCode()).as(third.toString()).isZero();
        assertThat(third.stderr()).containsPattern("(?m)^ran-the-command$");
        assertThat(third.out()).as("the same image without the cache").isEqualTo(first.out());

        Cli.Result bad = cli.run("prune-stages", "--max-size", "ten");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.stderr()).contains("Invalid --max-size 'ten'", "e.g. 10G");
        Cli.Result pruned = cli.run("prune-stages");
        assertThat(pruned.exitCode()).as(pruned.toString()).isZero();
        assertThat(pruned.out()).startsWith("removed 1 stage(s), ").contains("kept 0 stage(s), 0 bytes");
    }
}
