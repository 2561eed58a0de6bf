package dev.jetpack.engine.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.JetpackSettings;
import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.base.RootfsSource;
import dev.jetpack.engine.manifest.ManifestCodec;
import dev.jetpack.engine.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Jetpack#buildImage} end to end for base images (no container needed): the ACI, the ID file, the
 * record of the build, and the reuse or rebuild decision on the next call.
 */
class BuildImageReuseTest {
    @TempDir
    Path dir;
    Path rootfs;
    Path aci;
    Path idFile;
    RecordingLog log = new RecordingLog();
    Jetpack jetpack;

    @BeforeEach
    void project() throws Exception {
        rootfs = Files.createDirectories(dir.resolve("rootfs/etc"));
        Files.writeString(rootfs.resolve("motd"), "hello\n");
        Path image = Files.createDirectories(dir.resolve("src/main/image"));
        Files.writeString(image.resolve("manifest.json"), "{\"labels\":[{\"name\":\"os\",\"value\":\"linux\"}]}");
        aci = dir.resolve("target/base-1.0.aci");
        idFile = dir.resolve("target/base-1.0.aci.id");
        jetpack = new Jetpack(JetpackSettings.builder().storeLocation(dir.resolve("store"))
                .compression(Compression.NONE).build(), log, ProgressListener.NONE);
    }

    private ImageBuildSpec spec(boolean reuse) {
        return spec(reuse, "rootfs");
    }

    private ImageBuildSpec spec(boolean reuse, String rootfsParameter) {
        return ImageBuildSpec.base(RootfsSource.parse(rootfsParameter, dir))
                .buildDirectoryIfPresent(dir.resolve("src/main/image"))
                .manifestDefaults(new ManifestDefaults(Optional.of("example.com/base"), Map.of("version", "1.0")))
                .fixedTimestamp(Optional.of(Instant.parse("2026-01-02T03:04:05Z")))
                .output(aci).idFile(idFile).reuseUnchanged(reuse).fingerprintValue("plugin version", "1")
                .build();
    }

    @Test
    void anUnchangedBuildIsReusedAndAChangedInputRebuilds() throws Exception {
        ImageBuild first = jetpack.buildImage(spec(true));
        assertThat(first.reused()).isFalse();
        assertThat(idFile).hasContent(first.id().value() + "\n");
        assertThat(IncrementalBuild.recordFile(aci)).isRegularFile();

        var written = Files.getLastModifiedTime(aci);
        ImageBuild second = jetpack.buildImage(spec(true));
        assertThat(second.reused()).isTrue();
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(Files.getLastModifiedTime(aci)).as("the ACI was not written again").isEqualTo(written);
        assertThat(log.messages()).anyMatch(m -> m.contains(aci + " is up to date"));

        Files.writeString(rootfs.resolve("motd"), "changed\n");
        ImageBuild third = jetpack.buildImage(spec(true));
        assertThat(third.reused()).isFalse();
        assertThat(third.id()).isNotEqualTo(first.id());
        assertThat(idFile).hasContent(third.id().value() + "\n");
        assertThat(log.messages()).contains("INFO Rebuilding base-1.0.aci: changed since the last build: rootfs");
    }

    @Test
    void aChangedTarballWhoseNameHasAColonRebuilds() throws Exception {
        // Named like a tag: it is still a path, never the host: or busybox: form, and it is fingerprinted.
        Path tarball = dir.resolve("debian:12.tar.xz");
        Process tar = new ProcessBuilder("tar", "-cJf", tarball.toString(), "-C", dir.resolve("rootfs").toString(),
                ".").inheritIO().start();
        assertThat(tar.waitFor()).isZero();
        ImageBuild first = jetpack.buildImage(spec(true, "debian:12.tar.xz"));
        assertThat(jetpack.buildImage(spec(true, "debian:12.tar.xz")).reused()).isTrue();

        Files.writeString(rootfs.resolve("motd"), "changed\n");
        Files.delete(tarball);
        tar = new ProcessBuilder("tar", "-cJf", tarball.toString(), "-C", dir.resolve("rootfs").toString(), ".")
                .inheritIO().start();
        assertThat(tar.waitFor()).isZero();
        // Later than the first tarball for sure, even on a file system with a coarse clock.
        Files.setLastModifiedTime(tarball, java.nio.file.attribute.FileTime.from(Instant.now().plusSeconds(10)));
        ImageBuild changed = jetpack.buildImage(spec(true, "debian:12.tar.xz"));
        assertThat(changed.reused()).as("a changed tarball is not up to date").isFalse();
        assertThat(changed.id()).isNotEqualTo(first.id());
        assertThat(log.messages()).contains("INFO Rebuilding base-1.0.aci: changed since the last build: rootfs");
    }

    @Test
    void theBuildDirectorysManifestCompletedByTheDefaultsIsTheImagesManifest() throws Exception {
        jetpack.buildImage(spec(true));
        var stored = jetpack.store().importAci(aci, dev.jetpack.engine.store.ImportOptions.defaults());
        assertThat(stored.manifest().name()).isEqualTo("example.com/base");
        assertThat(stored.manifest().label("version")).contains("1.0");
        assertThat(stored.manifest().label("os")).contains("linux");
        assertThat(new String(ManifestCodec.write(stored.manifest(), false))).contains("2026-01-02T03:04:05Z");
    }

    @Test
    void withoutReuseItAlwaysBuildsAndLeavesNoRecord() throws Exception {
        jetpack.buildImage(spec(true));
        assertThat(IncrementalBuild.recordFile(aci)).isRegularFile();
        ImageBuild again = jetpack.buildImage(spec(false));
        assertThat(again.reused()).isFalse();
        assertThat(IncrementalBuild.recordFile(aci)).as("an old record must not outlive a build").doesNotExist();
        assertThat(jetpack.buildImage(spec(true)).reused()).as("no record: build").isFalse();
    }
}
