package dev.jetpack.engine.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.aci.AciWriter;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.aci.WriterOptions;
import dev.jetpack.engine.aci.compress.BlockCache;
import dev.jetpack.engine.base.HostRootfs;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.ManifestCodec;
import dev.jetpack.engine.runtime.ContainerRun;
import dev.jetpack.engine.runtime.ContainerRuntime;
import dev.jetpack.engine.runtime.ContainerSpec;
import dev.jetpack.engine.runtime.OutputSink;
import dev.jetpack.engine.runtime.RunResult;
import dev.jetpack.engine.runtime.Runtimes;
import dev.jetpack.engine.testing.RecordingLog;
import dev.jetpack.engine.testing.TreeSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real derivative builds, as root, with every container runtime that works on this host and real overlay
 * mounts: the images are rendered back and compared with the tree the build container had when the command
 * finished.
 */
class ImageBuilderTest {
    private static final String SECRET = "s3cr3t-build-value-4711";

    /**
     * Adds, changes, deletes and renames files and directories, changes modes and owners, makes hard and
     * symbolic links, names with spaces, a FIFO and a device node, replaces a file by a directory and the other
     * way round, recreates a directory (opaque in overlay terms) and breaks a hard-link pair of the parent. It
     * also checks what the build environment promises: mounts, resolv.conf, the environment, the work dir mode.
     */
    private static final String CHANGES = String.join("\n",
            "set -e",
            "test -d /proc/self",
            "test -c /dev/null",
            "grep -q nameserver /etc/resolv.conf",
            "[ \"$BUILD_SECRET\" = '" + SECRET + "' ]",
            "[ \"$(stat -c %a .)\" = 700 ]",
            "echo new > /added.txt",
            "mkdir -p '/opt/my app'",
            "echo hi > '/opt/my app/file with spaces.txt'",
            "echo changed >> /etc/changeme",
            "rm /etc/deleteme",
            "mv /etc/renameme /etc/renamed",
            "mv '/var/rename dir' /var/renamed-dir",
            "chmod 0600 /etc/modeme",
            "chown 1234:5678 /etc/ownme",
            "chmod 2755 /opt",
            "ln /added.txt /added-hardlink",
            "ln -s /added.txt /added-symlink",
            "ln -s ../nowhere /dangling",
            "rm -r /var/deldir",
            "rm -r /olddir && mkdir /olddir && echo fresh > /olddir/new",
            "echo modified > /hl-a",
            "rm /file-to-dir && mkdir /file-to-dir && touch /file-to-dir/inside",
            "rm -r /dir-to-file && echo now-a-file > /dir-to-file",
            "rm /abs-link && mkdir /abs-link && echo x > /abs-link/bin",
            "mknod /a-fifo p",
            "mknod /a-null c 1 3",
            "printf '{\"name\":\"example.com/child\",\"labels\":[{\"name\":\"version\",\"value\":\"2.0\"}]}'"
                    + " > manifest.json",
            "echo build-done");

    @TempDir
    static Path shared;
    static Path parentAci;
    static Path parentRootfs;
    static ImageId parentId;
    static ImageManifest parentManifest;

    @TempDir
    Path tmp;

    @BeforeAll
    static void makeParent() throws IOException {
        Path source = shared.resolve("parent-source");
        HostRootfs.create(source, HostRootfs.DEFAULT_COMMANDS);
        write(source, "etc/changeme", "original\n");
        write(source, "etc/deleteme", "delete me\n");
        write(source, "etc/renameme", "rename me\n");
        write(source, "etc/modeme", "mode\n");
        write(source, "etc/ownme", "owner\n");
        write(source, "var/deldir/a", "a\n");
        write(source, "var/deldir/sub/b", "b\n");
        write(source, "var/rename dir/x", "x\n");
        write(source, "olddir/old1", "old\n");
        write(source, "hl-a", "shared\n");
        Files.createLink(source.resolve("hl-b"), source.resolve("hl-a"));
        write(source, "file-to-dir", "file\n");
        write(source, "dir-to-file/inner", "inner\n");
        write(source, "usr/share/doc with space/read me", "docs\n");
        write(source, "bin/suid-tool", "#!/bin/sh\n");
        Files.setAttribute(source.resolve("bin/suid-tool"), "unix:mode", 04755);
        Files.createSymbolicLink(source.resolve("etc-link"), Path.of("etc"));
        // Absolute: resolved on the host it would lead to the host's /usr, which must never be looked at.
        Files.createSymbolicLink(source.resolve("abs-link"), Path.of("/usr"));
        parentManifest = ImageManifest.named("example.com/parent").withLabel("version", "1.0")
                .withLabel("os", "linux").withLabel("arch", "amd64");
        parentAci = shared.resolve("parent.aci");
        parentId = AciWriter.write(ManifestCodec.write(parentManifest, false), source, parentAci,
                WriterOptions.builder().compression(Compression.NONE).build()).id();
        parentRootfs = shared.resolve("parent-rootfs");
        ImageRendering.extract(parentAci, parentRootfs);
    }

    static Stream<String> usableRuntimes() {
        List<String> names = Runtimes.usable().stream().map(ContainerRuntime::name).toList();
        assertThat(names).as("usable container runtimes").contains("chroot");
        Runtimes.all().forEach(runtime -> System.out.println("runtime " + runtime.name() + ": "
                + runtime.unavailableReason().orElse("usable, exercised by a full build")));
        return names.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usableRuntimes")
    void flatAndLayeredImagesRenderToExactlyTheTreeTheContainerHad(String runtimeName) throws IOException {
        buildBothFormsAndCompare(runtimeName, BuildContainer.Mode.OVERLAY);
    }

    /** Without overlayfs the container is a copy, and a layer comes from comparing the trees. */
    @Test
    void copyFallbackGivesTheSameImages() throws IOException {
        buildBothFormsAndCompare(defaultRuntime().name(), BuildContainer.Mode.COPY);
    }

    private void buildBothFormsAndCompare(String runtimeName, BuildContainer.Mode mode) throws IOException {
        Map<String, String> parentBefore = TreeSnapshot.withoutTimes(parentRootfs, Set.of());
        for (OutputForm form : OutputForm.values()) {
            SnapshottingRuntime runtime = new SnapshottingRuntime(Runtimes.select(runtimeName, EngineLog.SILENT));
            Path output = tmp.resolve(form + ".aci");
            List<String> printed = Collections.synchronizedList(new ArrayList<>());
            RecordingLog log = new RecordingLog();

            BuildResult result = new ImageBuilder().build(request(output, runtime)
                    .containerMode(mode)
                    .log(log)
                    .command("/bin/sh", "-c", CHANGES)
                    .env("BUILD_SECRET", SECRET)
                    .outputForm(form)
                    .commandOutput((stream, line) -> printed.add(line))
                    .build());

            assertThat(printed).contains("build-done");
            assertThat(log.messages())
                    .anyMatch(line -> line.contains(mode == BuildContainer.Mode.COPY ? "(copy of" : "(overlay"));
            assertThat(result.runtime()).isEqualTo(runtimeName);
            Map<String, String> container = runtime.snapshot();
            assertThat(container).containsKeys("added.txt", "opt/my app/file with spaces.txt",
                    "etc/renamed", "var/renamed-dir/x", "a-fifo", "a-null", "olddir/new", "dir-to-file")
                    .doesNotContainKeys("etc/deleteme", "var/deldir", "olddir/old1", "etc/renameme",
                            "proc", "dev", "sys", "etc/resolv.conf");

            Path rendered = tmp.resolve(form + "-rendered");
            ImageManifest manifest;
            if (form == OutputForm.FLAT) {
                manifest = ImageRendering.extract(output, rendered);
                assertThat(manifest.dependencies()).isEmpty();
                assertThat(manifest.pathWhitelist()).isEmpty();
            } else {
                manifest = ImageRendering.renderLayered(parentAci, output, rendered, tmp.resolve(form + "-scratch"));
                assertThat(manifest.dependencies()).hasSize(1);
                assertThat(manifest.dependencies().get(0).imageID()).isEqualTo(parentId.value());
                assertThat(manifest.pathWhitelist()).contains("/added.txt", "/opt/my app/file with spaces.txt")
                        .doesNotContain("/etc/deleteme", "/" + WorkDirectory.PREFERRED_NAME);
            }
            assertThat(manifest).isEqualTo(result.manifest());
            List<AciEntries.Entry> entries = AciEntries.of(output);
            assertThat(entries).as("whiteouts (character devices 0:0) in the " + form + " ACI")
                    .noneMatch(e -> e.characterDevice() && e.major() == 0 && e.minor() == 0);
            assertThat(entries).as("overlay attributes in the " + form + " ACI")
                    .noneMatch(e -> e.paxHeaders().keySet().stream().anyMatch(key -> key.contains("overlay")));
            List<String> names = entries.stream().map(AciEntries.Entry::name).toList();
            assertThat(names).contains("rootfs/added.txt", "rootfs/a-null")
                    .noneMatch(name -> name.startsWith("rootfs/" + WorkDirectory.PREFERRED_NAME))
                    .doesNotContain("rootfs/proc", "rootfs/dev", "rootfs/sys", "rootfs/etc/resolv.conf",
                            "rootfs/etc/deleteme", "rootfs/var/deldir");
            if (form == OutputForm.LAYERED) {
                // Only the change: untouched parent files stay out of the layer.
                assertThat(names).doesNotContain("rootfs/bin/sh", "rootfs/bin/suid-tool", "rootfs/etc/passwd");
            } else {
                assertThat(names).contains("rootfs/bin/sh", "rootfs/bin/suid-tool", "rootfs/etc/passwd");
            }
            assertThat(manifest.name()).isEqualTo("example.com/child");
            assertThat(manifest.label("os")).contains("linux");
            assertThat(manifest.label("version")).contains("2.0");
            assertThat(TreeSnapshot.lines(TreeSnapshot.withoutTimes(rendered, Set.of())))
                    .as(form + " image rendered").containsExactlyElementsOf(TreeSnapshot.lines(container));
            // overlayfs copies hl-a up on write, which splits the parent's hard-link pair; in a copy both names
            // still share the inode. Either way the image must show what the container showed.
            assertThat(Files.readString(rendered.resolve("hl-b")))
                    .isEqualTo(mode == BuildContainer.Mode.COPY ? "modified\n" : "shared\n");

            // BUILD_VARS counterpart: the command saw the value (it checked), the image does not have it.
            assertThat(new String(Files.readAllBytes(output), StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
            assertNoLeftovers(output);
        }
        assertThat(TreeSnapshot.lines(TreeSnapshot.withoutTimes(parentRootfs, Set.of())))
                .as("the parent rootfs after two builds").containsExactlyElementsOf(TreeSnapshot.lines(parentBefore));
    }

    @Test
    void failingCommandReportsCodeAndOutputAndLeavesNothingBehind() {
        Path output = tmp.resolve("failed.aci");
        assertThatThrownBy(() -> new ImageBuilder().build(request(output, defaultRuntime())
                .command("/bin/sh", "-c", "echo some progress; echo 'about to fail' >&2; exit 3")
                .build()))
                .isInstanceOfSatisfying(BuildFailedException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(3);
                    assertThat(e.lastLines()).contains("some progress", "about to fail");
                    assertThat(e.command()).containsExactly("/bin/sh", "-c",
                            "echo some progress; echo 'about to fail' >&2; exit 3");
                    assertThat(e.getMessage()).contains("exit code 3", "about to fail", "/bin/sh");
                });
        assertNoLeftovers(output);
    }

    @Test
    void missingManifestIsAClearErrorAndLeavesNothingBehind() {
        Path output = tmp.resolve("nomanifest.aci");
        assertThatThrownBy(() -> new ImageBuilder().build(request(output, defaultRuntime())
                .command("/bin/sh", "-c", "echo no manifest here > note.txt")
                .build()))
                .isInstanceOf(BuildException.class)
                .hasMessageContaining("manifest.json")
                .hasMessageContaining("build directory");
        assertNoLeftovers(output);
    }

    @Test
    void invalidManifestIsKeptNextToTheOutput() throws IOException {
        for (String bad : List.of("{\"name\": \"example.com/broken\",", "{\"name\": \"Not A Valid Name!\"}")) {
            Path output = tmp.resolve("invalid.aci");
            Path kept = tmp.resolve("invalid.aci" + ImageBuilder.INVALID_MANIFEST_SUFFIX);
            Files.deleteIfExists(kept);
            Path buildDir = Files.createDirectories(tmp.resolve("bad-manifest-dir"));
            Files.writeString(buildDir.resolve("manifest.json"), bad);
            assertThatThrownBy(() -> new ImageBuilder().build(request(output, defaultRuntime())
                    .buildDirectory(buildDir)
                    .command("/bin/true")
                    .build()))
                    .isInstanceOf(BuildException.class)
                    .hasMessageContaining("not a valid image manifest")
                    .hasMessageContaining(kept.toString());
            assertThat(Files.readString(kept)).isEqualTo(bad);
            assertNoLeftovers(output);
        }
    }

    @Test
    void buildDirectoryAndExtraFilesAreCopiedWithTheirModes() throws IOException {
        Path buildDir = Files.createDirectories(tmp.resolve("build dir"));
        Files.writeString(buildDir.resolve("manifest.json"), "{\"name\": \"example.com/static\"}");
        write(buildDir, "script with space.sh", "#!/bin/sh\necho hello\n");
        Files.setPosixFilePermissions(buildDir.resolve("script with space.sh"),
                PosixFilePermissions.fromString("rwxr-x---"));
        write(buildDir, "sub/secret", "s\n");
        Files.setPosixFilePermissions(buildDir.resolve("sub/secret"), PosixFilePermissions.fromString("rw-------"));
        Path extraFile = write(tmp, "extras/extra.txt", "extra\n");
        Files.setPosixFilePermissions(extraFile, PosixFilePermissions.fromString("rw-r-----"));
        Path extraDir = Files.createDirectories(tmp.resolve("extras/extra-dir"));
        write(extraDir, "inside", "in\n");
        Path output = tmp.resolve("copied.aci");

        new ImageBuilder().build(request(output, defaultRuntime())
                .buildDirectory(buildDir)
                .extraFile(extraFile)
                .extraFile(extraDir)
                .command("/bin/sh", "-c", "cp -a . /copied")
                .build());

        Path rendered = tmp.resolve("rendered");
        ImageManifest manifest = ImageRendering.extract(output, rendered);
        assertThat(manifest.name()).isEqualTo("example.com/static");
        Path copied = rendered.resolve("copied");
        assertThat(mode(copied.resolve("script with space.sh"))).isEqualTo(0750);
        assertThat(mode(copied.resolve("sub/secret"))).isEqualTo(0600);
        assertThat(mode(copied.resolve("extra.txt"))).isEqualTo(0640);
        assertThat(Files.readString(copied.resolve("extra-dir/inside"))).isEqualTo("in\n");
        assertThat(mode(copied)).as("the work directory").isEqualTo(0700);
        assertThat(rendered.resolve(WorkDirectory.PREFERRED_NAME)).doesNotExist();
        assertNoLeftovers(output);
    }

    @Test
    void twoInputsWithTheSameNameAreRefused() throws IOException {
        Path buildDir = Files.createDirectories(tmp.resolve("dir"));
        write(buildDir, "config", "from the build dir\n");
        Path extra = write(tmp, "elsewhere/config", "from -cp\n");
        Path output = tmp.resolve("clash.aci");
        assertThatThrownBy(() -> new ImageBuilder().build(request(output, defaultRuntime())
                .buildDirectory(buildDir)
                .extraFile(extra)
                .command("/bin/true")
                .build()))
                .isInstanceOf(BuildException.class)
                .hasMessageContaining("'config'")
                .hasMessageContaining(buildDir.resolve("config").toString())
                .hasMessageContaining(extra.toString());
        assertNoLeftovers(output);
        assertThat(tmp.resolve("containers")).as("refused before any container was made").doesNotExist();
    }

    @Test
    void theParentsOwnResolvConfAndWorkDirNameSurviveInBothForms() throws IOException {
        Path source = tmp.resolve("own-resolv-source");
        HostRootfs.create(source, List.of("sh", "cat", "grep", "pwd"));
        write(source, "etc/resolv.conf", "nameserver 127.0.0.77 # the image's own\n");
        write(source, WorkDirectory.PREFERRED_NAME + "/owned", "the image's own\n");
        ImageManifest manifest = ImageManifest.named("example.com/own-resolv");
        Path aci = tmp.resolve("own-resolv.aci");
        ImageId id = AciWriter.write(ManifestCodec.write(manifest, false), source, aci,
                WriterOptions.builder().compression(Compression.NONE).build()).id();
        Path rootfs = tmp.resolve("own-resolv-rootfs");
        ImageRendering.extract(aci, rootfs);
        Path buildResolv = write(tmp, "build-resolv.conf", "nameserver 127.0.0.53 # bound for the build\n");

        for (OutputForm form : OutputForm.values()) {
            Path output = tmp.resolve("own-" + form + ".aci");
            new ImageBuilder().build(BuildRequest.builder(rootfs, manifest, id, output)
                    .runtime(defaultRuntime())
                    .containersDir(tmp.resolve("containers"))
                    .compression(Compression.NONE)
                    .resolvConf(buildResolv)
                    .outputForm(form)
                    .command("/bin/sh", "-c", "grep -q 'bound for the build' /etc/resolv.conf && pwd > /pwd.txt"
                            + " && echo '{\"name\":\"example.com/child\"}' > manifest.json")
                    .build());
            Path rendered = tmp.resolve("own-" + form);
            if (form == OutputForm.FLAT) {
                ImageRendering.extract(output, rendered);
            } else {
                ImageRendering.renderLayered(aci, output, rendered, tmp.resolve("own-scratch"));
            }
            assertThat(Files.readString(rendered.resolve("etc/resolv.conf")))
                    .isEqualTo("nameserver 127.0.0.77 # the image's own\n");
            assertThat(Files.readString(rendered.resolve(WorkDirectory.PREFERRED_NAME + "/owned")))
                    .isEqualTo("the image's own\n");
            assertThat(Files.readString(rendered.resolve("pwd.txt")))
                    .matches("/\\.jetpack\\.build\\.[0-9a-f-]{36}\n");
            try (Stream<Path> top = Files.list(rendered)) {
                assertThat(top.map(p -> p.getFileName().toString()))
                        .noneMatch(name -> name.startsWith(WorkDirectory.PREFERRED_NAME) && name.length() > 15)
                        .doesNotContain("proc", "dev", "sys");
            }
            assertNoLeftovers(output);
        }
        assertThat(Files.readString(rootfs.resolve("etc/resolv.conf")))
                .isEqualTo("nameserver 127.0.0.77 # the image's own\n");
    }

    @Test
    void aParentResolvConfSymlinkStaysAndItsTargetIsNotCreated() throws IOException {
        Path source = tmp.resolve("symlink-resolv-source");
        HostRootfs.create(source, List.of("sh", "grep"));
        Files.createDirectories(source.resolve("etc"));
        Files.createSymbolicLink(source.resolve("etc/resolv.conf"), Path.of("../run/systemd/resolve/stub-resolv.conf"));
        ImageManifest manifest = ImageManifest.named("example.com/symlink-resolv");
        Path aci = tmp.resolve("symlink-resolv.aci");
        ImageId id = AciWriter.write(ManifestCodec.write(manifest, false), source, aci,
                WriterOptions.builder().compression(Compression.NONE).build()).id();
        Path rootfs = tmp.resolve("symlink-resolv-rootfs");
        ImageRendering.extract(aci, rootfs);
        Path output = tmp.resolve("symlink-resolv-child.aci");

        new ImageBuilder().build(BuildRequest.builder(rootfs, manifest, id, output)
                .runtime(defaultRuntime())
                .containersDir(tmp.resolve("containers"))
                .compression(Compression.NONE)
                .command("/bin/sh", "-c", "grep -q nameserver /etc/resolv.conf"
                        + " && echo '{\"name\":\"example.com/child\"}' > manifest.json")
                .build());

        Path rendered = tmp.resolve("symlink-resolv-rendered");
        ImageRendering.extract(output, rendered);
        assertThat(Files.readSymbolicLink(rendered.resolve("etc/resolv.conf")))
                .isEqualTo(Path.of("../run/systemd/resolve/stub-resolv.conf"));
        assertThat(rendered.resolve("run")).doesNotExist();
        assertNoLeftovers(output);
    }

    @Test
    void containersDirectoryInsideTheBuildDirectoryIsRefused() throws IOException {
        Path buildDir = Files.createDirectories(tmp.resolve("project"));
        Path output = tmp.resolve("nested.aci");
        assertThatThrownBy(() -> new ImageBuilder().build(request(output, defaultRuntime())
                .buildDirectory(buildDir)
                .containersDir(buildDir.resolve("store/containers"))
                .command("/bin/true")
                .build()))
                .isInstanceOf(BuildException.class)
                .hasMessageContaining("inside the build directory");
        assertThat(buildDir.resolve("store")).doesNotExist();
        assertThat(output).doesNotExist();
    }

    @Test
    void theNextBuildRemovesAContainerACrashedBuildLeftMounted() throws Exception {
        Process gone = new ProcessBuilder("sleep", "30").start();
        String owner = BuildContainer.ownerLine(gone.toHandle());
        gone.destroyForcibly().waitFor();
        Path stale = Files.createDirectories(tmp.resolve("containers/build-0123456789ab/root"));
        Files.writeString(stale.resolveSibling("owner"), owner);
        assertThat(new ProcessBuilder("mount", "-t", "tmpfs", "tmpfs", stale.toString()).inheritIO().start()
                .waitFor()).isZero();
        Path output = tmp.resolve("after-crash.aci");

        new ImageBuilder().build(request(output, defaultRuntime())
                .command("/bin/sh", "-c", "echo '{\"name\":\"example.com/after-crash\"}' > manifest.json")
                .build());

        assertThat(output).isRegularFile();
        assertThat(stale.getParent()).doesNotExist();
        assertNoLeftovers(tmp.resolve("no-such.aci"));
    }

    @Test
    void layeredOutputScalesWithTheChangeNotWithTheParent() throws IOException {
        Path source = tmp.resolve("big-source");
        HostRootfs.create(source, List.of("sh"));
        byte[] big = new byte[24 * 1024 * 1024];
        new java.util.Random(42).nextBytes(big);
        Files.write(Files.createDirectories(source.resolve("data")).resolve("big.bin"), big);
        ImageManifest manifest = ImageManifest.named("example.com/big");
        Path aci = tmp.resolve("big.aci");
        ImageId id = AciWriter.write(ManifestCodec.write(manifest, false), source, aci,
                WriterOptions.builder().compression(Compression.NONE).build()).id();
        Path rootfs = tmp.resolve("big-rootfs");
        ImageRendering.extract(aci, rootfs);

        long[] sizes = new long[2];
        for (OutputForm form : OutputForm.values()) {
            Path output = tmp.resolve("big-" + form + ".aci");
            BuildResult result = new ImageBuilder().build(BuildRequest.builder(rootfs, manifest, id, output)
                    .runtime(defaultRuntime())
                    .containersDir(tmp.resolve("containers"))
                    .compression(Compression.NONE)
                    .outputForm(form)
                    .command("/bin/sh", "-c", "echo one > /one-file"
                            + " && echo '{\"name\":\"example.com/small-change\"}' > manifest.json")
                    .build());
            sizes[form.ordinal()] = result.fileSize();
            assertThat(result.fileSize()).isEqualTo(Files.size(output));
        }
        System.out.printf("layered vs flat on a %d MB parent: layered %d bytes, flat %d bytes%n",
                Files.size(aci) >> 20, sizes[OutputForm.LAYERED.ordinal()], sizes[OutputForm.FLAT.ordinal()]);
        assertThat(sizes[OutputForm.FLAT.ordinal()]).isGreaterThan(big.length);
        assertThat(sizes[OutputForm.LAYERED.ordinal()]).isLessThan(32 * 1024);
    }

    @Test
    void reproducibleBuildsGiveTheSameImageId() {
        Instant fixed = Instant.parse("2024-05-06T07:08:09Z");
        List<ImageId> ids = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path output = tmp.resolve("repro-" + i + ".aci");
            BuildResult result = new ImageBuilder().build(request(output, defaultRuntime())
                    .fixedTimestamp(fixed)
                    .command("/bin/sh", "-c", "echo same > /same.txt && mkdir -p /d && echo x > /d/x"
                            + " && echo '{\"name\":\"example.com/repro\"}' > manifest.json")
                    .build());
            assertThat(result.manifest().annotation("timestamp")).contains("2024-05-06T07:08:09Z");
            ids.add(result.imageId());
        }
        assertThat(ids.get(1)).isEqualTo(ids.get(0));
    }

    @Test
    void aRebuildWithTheBlockCacheReusesItsBlocksAndWritesTheSameBytes() throws IOException {
        Instant fixed = Instant.parse("2024-05-06T07:08:09Z");
        BlockCache cache = new BlockCache(tmp.resolve("blocks"), BlockCache.DEFAULT_MAX_BYTES);
        List<byte[]> images = new ArrayList<>();
        RecordingLog log = new RecordingLog();
        for (int i = 0; i < 2; i++) {
            Path output = tmp.resolve("cached-" + i + ".aci");
            new ImageBuilder().build(request(output, defaultRuntime())
                    .compression(Compression.GZIP)
                    .blockCache(cache)
                    .fixedTimestamp(fixed)
                    .log(log)
                    .command("/bin/sh", "-c", "echo same > /same.txt"
                            + " && echo '{\"name\":\"example.com/cached\"}' > manifest.json")
                    .build());
            images.add(Files.readAllBytes(output));
        }
        assertThat(images.get(1)).isEqualTo(images.get(0));
        assertThat(log.messages()).filteredOn(m -> m.contains("compressed blocks reused from the block cache"))
                .as("only the second build reuses").hasSize(1);
    }

    @Test
    void interruptedBuildStopsAndLeavesNothingBehind() throws Exception {
        Path output = tmp.resolve("interrupted.aci");
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread build = new Thread(() -> {
            try {
                new ImageBuilder().build(request(output, defaultRuntime())
                        .command("/bin/sh", "-c", "echo started; sleep 60; echo '{\"name\":\"a/b\"}' > manifest.json")
                        .commandOutput((stream, line) -> {
                            if (line.equals("started")) {
                                started.countDown();
                            }
                        })
                        .build());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        build.start();
        assertThat(started.await(30, TimeUnit.SECONDS)).as("the command started").isTrue();
        build.interrupt();
        build.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(build.isAlive()).as("the build thread ended").isFalse();
        assertThat(failure.get()).isInstanceOf(dev.jetpack.engine.JetpackException.class);
        assertNoLeftovers(output);
    }

    // --- helpers

    private BuildRequest.Builder request(Path output, ContainerRuntime runtime) {
        return BuildRequest.builder(parentRootfs, parentManifest, parentId, output)
                .runtime(runtime)
                .containersDir(tmp.resolve("containers"))
                .compression(Compression.NONE);
    }

    private static ContainerRuntime defaultRuntime() {
        return Runtimes.select("auto", EngineLog.SILENT);
    }

    /** No mount under the containers dir, no container directory, no output and no temporary output. */
    private void assertNoLeftovers(Path output) {
        Path containers = tmp.resolve("containers");
        try {
            assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo")))
                    .noneMatch(line -> line.contains(containers.toString()));
            if (Files.isDirectory(containers)) {
                try (Stream<Path> left = Files.list(containers)) {
                    assertThat(left.toList()).as("left in the containers dir").isEmpty();
                }
            }
            try (Stream<Path> siblings = Files.list(output.getParent())) {
                assertThat(siblings.map(p -> p.getFileName().toString()))
                        .noneMatch(name -> name.startsWith("." + output.getFileName()));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path write(Path root, String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    private static int mode(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    /** Takes the container's tree right after the command, before the builder cleans up. */
    static final class SnapshottingRuntime implements ContainerRuntime {
        private final ContainerRuntime delegate;
        private Map<String, String> snapshot;

        SnapshottingRuntime(ContainerRuntime delegate) {
            this.delegate = delegate;
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public Optional<String> unavailableReason() {
            return delegate.unavailableReason();
        }

        @Override
        public Optional<String> unsupported(ContainerSpec spec) {
            return delegate.unsupported(spec);
        }

        @Override
        public ContainerRun start(ContainerSpec spec, OutputSink sink) {
            throw new UnsupportedOperationException("builds run their commands to completion");
        }

        @Override
        public RunResult run(ContainerSpec spec, OutputSink sink) {
            RunResult result = delegate.run(spec, sink);
            snapshot = TreeSnapshot.withoutTimes(spec.rootfs(), Set.of(spec.workingDirectory().substring(1)));
            return result;
        }

        Map<String, String> snapshot() {
            return snapshot;
        }
    }
}
