package dev.jetpack.engine.build;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.JetpackSettings;
import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.aci.AciWriter;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.WriterOptions;
import dev.jetpack.engine.base.HostRootfs;
import dev.jetpack.engine.build.stage.StageCacheOptions;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.ManifestCodec;
import dev.jetpack.engine.runtime.RuntimeChoice;
import dev.jetpack.engine.store.ImportOptions;
import dev.jetpack.engine.store.StoredImage;
import dev.jetpack.engine.testing.StdoutLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One project built in stages, shared by the tests of the stage cache and by the child JVMs they start
 * ({@link #main}): a parent of the host's binaries with {@code /etc/motd} and {@code /data/{a,b}}, a build
 * directory with a manifest and {@code index.html}, one copied file, and three steps that delete a parent file
 * (a whiteout), replace a parent directory (an opaque directory), use the inputs in a later step, and check in
 * the last step that the earlier stages' deletions still hide the parent's files when stacked as lower layers.
 */
final class StagedBuildFixture {
    static final Instant FIXED = Instant.parse("2026-01-02T03:04:05Z");
    static final List<String> STEPS = List.of(
            "rm /etc/motd && rm -rf /data && mkdir /data && echo new > /data/c && cp index.html /data/",
            "echo STAGE2-RUNNING; if [ \"${http_proxy:-}\" = slow ]; then sleep 60; fi; mkdir -p /srv"
                    + " && cp index.html copied.txt /srv/",
            "test ! -e /etc/motd && test ! -e /data/a && test -e /data/c && cat /data/c /srv/copied.txt > /srv/all");

    final Path project;
    final Path store;

    StagedBuildFixture(Path project, Path store) {
        this.project = project;
        this.store = store;
    }

    /** Writes the parent ACI, the build directory and the copied file; imports the parent. */
    StoredImage create(Jetpack jetpack) throws IOException {
        Path rootfs = project.resolve("parent-rootfs");
        HostRootfs.create(rootfs, HostRootfs.DEFAULT_COMMANDS);
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/motd"), "parent motd\n");
        Files.createDirectories(rootfs.resolve("data"));
        Files.writeString(rootfs.resolve("data/a"), "a\n");
        Files.writeString(rootfs.resolve("data/b"), "b\n");
        // A package manager for the package install stage: records what it was asked to install.
        Files.createDirectories(rootfs.resolve("sbin"));
        Files.writeString(rootfs.resolve("sbin/apk"), "#!/bin/sh\necho \"$@\" >> /installed\n");
        Files.setPosixFilePermissions(rootfs.resolve("sbin/apk"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path aci = project.resolve("parent.aci");
        AciWriter.write(ManifestCodec.write(ImageManifest.named("example.com/stage-parent")
                .withLabel("os", "linux"), false), rootfs, aci,
                WriterOptions.builder().compression(Compression.NONE).build());
        Path source = Files.createDirectories(project.resolve("src/main/image"));
        Files.writeString(source.resolve("index.html"), "<h1>hello</h1>\n");
        Files.writeString(project.resolve("copied.txt"), "copied one\n");
        return jetpack.store().importAci(aci, ImportOptions.defaults());
    }

    Jetpack jetpack(EngineLog log) {
        return new Jetpack(JetpackSettings.builder().storeLocation(store).runtime(RuntimeChoice.CHROOT)
                .compression(Compression.NONE).build(), log, ProgressListener.NONE);
    }

    ImageBuildSpec.Builder spec(StoredImage parent, boolean cache, Path output) {
        return ImageBuildSpec.derivative(parent)
                .buildDirectory(project.resolve("src/main/image"))
                .extraFiles(List.of(project.resolve("copied.txt")))
                .buildScript(BuildScript.of(List.of(), STEPS))
                .manifest("{\"name\":\"example.com/staged\"}", "given by the test")
                .manifestDefaults(new ManifestDefaults(Optional.empty(), Map.of("version", "1.0")))
                .fixedTimestamp(Optional.of(FIXED))
                .output(output)
                .compression(Compression.NONE)
                .stageCache(cache ? StageCacheOptions.defaults() : StageCacheOptions.disabled());
    }

    /** Child JVM: {@code STORE PROJECT PARENT-ID OUTPUT [slow]}; prints the log, step output, then DONE ID. */
    public static void main(String[] args) {
        StagedBuildFixture fixture = new StagedBuildFixture(Path.of(args[1]), Path.of(args[0]));
        Jetpack jetpack = fixture.jetpack(new StdoutLog());
        ImageBuildSpec.Builder spec = fixture.spec(jetpack.find(args[2]), true, Path.of(args[3]))
                .commandOutput((stream, line) -> System.out.println("OUT " + line));
        if (args.length > 4 && args[4].equals("slow")) {
            spec.environment(Map.of("http_proxy", "slow"));
        }
        System.out.println("DONE " + jetpack.buildImage(spec.build()).id());
        System.out.flush();
    }
}
