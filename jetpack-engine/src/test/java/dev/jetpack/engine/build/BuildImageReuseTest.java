package dev.jetpack.engine.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.JetpackSettings;
import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.aci.Compression;
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
        jetpack = new Jetpack(JetpackSettings.defaults().withStoreLocation(dir.resolve("store"))
                .withCompression(Compression.NONE), log, ProgressListener.NONE);
    }

    private ImageBuildSpec spec(boolean reuse) {
        return ImageBuildSpec.base("rootfs", dir).buildDirectoryIfPresent(dir.resolve("src/main/image"))
                .manifestDefaults(new ManifestDefaults(Optional.of("example.com/base"), Map.of("version", "1.0")))
                .fixedTimestamp(Optional.of(Instant.parse("2026-01-02T03:04:05Z")))
                .output(aci).idFile(idFile).reuseUnchanged(reuse).fingerprintValue("plugin version", "1")
                .build();
    }

    @Test
    void anUnchangedBuildIsReusedAndAChangedInputRebuilds() throws Exception {
        Jetpack.ImageBuild first = jetpack.buildImage(spec(true));
        assertThat(first.reused()).isFalse();
        assertThat(idFile).hasContent(first.id().value() + "\n");
        assertThat(IncrementalBuild.recordFile(aci)).isRegularFile();

        var written = Files.getLastModifiedTime(aci);
        Jetpack.ImageBuild second = jetpack.buildImage(spec(true));
        assertThat(second.reused()).isTrue();
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(Files.getLastModifiedTime(aci)).as("the ACI was not written again").isEqualTo(written);
        assertThat(log.messages()).anyMatch(m -> m.contains(aci + " is up to date"));

        Files.writeString(rootfs.resolve("motd"), "changed\n");
        Jetpack.ImageBuild third = jetpack.buildImage(spec(true));
        assertThat(third.reused()).isFalse();
        assertThat(third.id()).isNotEqualTo(first.id());
        assertThat(idFile).hasContent(third.id().value() + "\n");
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
        Jetpack.ImageBuild again = jetpack.buildImage(spec(false));
        assertThat(again.reused()).isFalse();
        assertThat(IncrementalBuild.recordFile(aci)).as("an old record must not outlive a build").doesNotExist();
        assertThat(jetpack.buildImage(spec(true)).reused()).as("no record: build").isFalse();
    }
}
