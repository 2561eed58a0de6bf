package dev.jetpack.engine.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.base.RootfsSource;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.ManifestCodec;
import dev.jetpack.engine.store.StoredImage;
import dev.jetpack.engine.testing.RecordingLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageBuildPlanTest {
    private static final ImageId PARENT = ImageId.ofDigest(new byte[64]);
    private static final ImageId OTHER_PARENT = ImageId.parse(ImageId.PREFIX + "1".repeat(128));
    private static final String POM_MANIFEST = "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\","
            + "\"name\":\"example.com/from-pom\"}";

    @TempDir
    Path dir;
    Path buildDir;
    RecordingLog log = new RecordingLog();

    @BeforeEach
    void buildDirectory() throws Exception {
        buildDir = Files.createDirectories(dir.resolve("image"));
        Files.writeString(buildDir.resolve("manifest.json"), "{\"name\":\"example.com/from-dir\"}");
    }

    /** A parent as the store would give it; the plan reads only its ID. */
    private StoredImage parent(ImageId id) {
        ImageManifest manifest = ManifestCodec.read("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\","
                .concat("\"name\":\"example.com/parent\"}").getBytes(StandardCharsets.UTF_8), "test");
        return new StoredImage(id, manifest, dir, dir.resolve("parent.aci"), dir.resolve("rootfs"), 0,
                Instant.EPOCH, List.of());
    }

    private ImageBuildSpec.Builder derivative() {
        return derivative(PARENT);
    }

    private ImageBuildSpec.Builder derivative(ImageId parentId) {
        return ImageBuildSpec.derivative(parent(parentId)).buildDirectoryIfPresent(buildDir)
                .buildScript(BuildScript.of(List.of(), List.of("echo step")));
    }

    private ImageBuildPlan plan(ImageBuildSpec.Builder spec) {
        return new ImageBuildPlan(spec.build(), Compression.XZ, log);
    }

    @Test
    void theFacesManifestWinsOverManifestJsonWithAWarning() {
        ImageBuildPlan plan = plan(derivative().manifest(POM_MANIFEST, "given as <manifest> in the POM"));
        assertThat(plan.givenManifest()).get().extracting(m -> m.name()).isEqualTo("example.com/from-pom");
        assertThat(log.warnings()).containsExactly("WARN Ignoring " + buildDir.resolve("manifest.json")
                + ": the manifest given as <manifest> in the POM is the image's manifest; remove one of the two");
        assertThat(plan.script().orElseThrow().render()).as("the script must not insist on manifest.json")
                .doesNotContain("no manifest.json");
    }

    @Test
    void aDerivativeReadsManifestJsonAfterTheBuildAndABaseImageFromTheBuildDirectory() {
        ImageBuildPlan derivative = plan(derivative());
        assertThat(derivative.givenManifest()).isEmpty();
        assertThat(derivative.script().orElseThrow().render()).contains("no manifest.json");

        ImageBuildPlan base = new ImageBuildPlan(ImageBuildSpec.base(new RootfsSource.Busybox())
                .buildDirectoryIfPresent(buildDir).output(dir.resolve("base.aci")).build(), Compression.XZ, log);
        assertThat(base.givenManifest()).get().extracting(m -> m.name()).isEqualTo("example.com/from-dir");
        assertThat(log.warnings()).isEmpty();
    }

    @Test
    void aBaseImagesManifestJsonIsReadUpFrontForTheFingerprintAndParsedOnlyWhenTheBuildNeedsIt() throws Exception {
        Files.writeString(buildDir.resolve("manifest.json"), "{ not json yet");
        ImageBuildSpec spec = ImageBuildSpec.base(new RootfsSource.Busybox()).buildDirectoryIfPresent(buildDir)
                .output(dir.resolve("base.aci")).build();
        ImageBuildPlan plan = new ImageBuildPlan(spec, Compression.XZ, log);
        BuildFingerprint before = plan.fingerprint();

        // The bytes the plan read are the ones it fingerprints and, once asked, parses: a later edit is neither.
        Files.writeString(buildDir.resolve("manifest.json"), "{\"name\":\"example.com/edited\"}");
        assertThat(plan.fingerprint().components().get("manifest")).isEqualTo(before.components().get("manifest"));
        assertThat(new ImageBuildPlan(spec, Compression.XZ, log).fingerprint().differencesFrom(before))
                .contains("manifest");
        assertThatThrownBy(plan::givenManifest).isInstanceOf(JetpackException.class)
                .hasMessageContaining(buildDir.resolve("manifest.json").toString());
    }

    @Test
    void anInvalidGivenManifestIsRefusedNamingItsOrigin() {
        assertThatThrownBy(() -> plan(derivative().manifest("[1]", "given as <manifest> in the POM")))
                .isInstanceOf(JetpackException.class).hasMessageContaining("given as <manifest> in the POM");
    }

    @Test
    void theCommandIsTheScriptOrTheGivenCommandWithTheArguments() {
        assertThat(plan(derivative().arguments(List.of("a", "X=1"))).command())
                .containsExactly("/bin/sh", BuildScript.FILE_NAME, "a", "X=1");
        assertThat(plan(derivative().command(List.of("/bin/sh", "gen.sh")).arguments(List.of("4.2"))).command())
                .containsExactly("/bin/sh", "gen.sh", "4.2");
    }

    @Test
    void aMissingOptionalBuildDirectoryIsNoneButARequiredOneIsPassedOn() {
        Path missing = dir.resolve("missing");
        assertThat(plan(derivative().buildDirectoryIfPresent(missing)).buildDirectory()).isEmpty();
        assertThat(log.messages()).contains("INFO No build directory " + missing
                + ": the work dir starts with only the copied files");
        assertThat(plan(derivative().buildDirectory(missing)).buildDirectory()).contains(missing);
        assertThat(plan(derivative()).buildDirectory()).contains(buildDir);
    }

    @Test
    void aTrackedOutputCountsByTheRunThatMadeItAndItsOwnEntryNotByWhatIsBelowIt() throws Exception {
        Path rootfs = Files.createDirectories(buildDir.resolve("rootfs/etc"));
        Files.writeString(rootfs.resolve("hostname"), "one");
        ImageBuildSpec.Builder base = ImageBuildSpec.base(new RootfsSource.Existing(buildDir.resolve("rootfs")))
                .buildDirectoryIfPresent(buildDir).output(dir.resolve("base.aci"));
        BuildFingerprint before = plan(base.trackedOutput("rootfs", "run 1")).fingerprint();
        assertThat(before.components()).containsKeys("build directory", "made rootfs", "top of rootfs")
                .doesNotContainKey("rootfs");

        // Deep inside, as make sees a target: only the run that made it, or its own entry, tells a change.
        Files.writeString(rootfs.resolve("hostname"), "two, by hand");
        assertThat(plan(base).fingerprint()).isEqualTo(before);
        assertThat(plan(base.trackedOutput("rootfs", "run 2")).fingerprint().differencesFrom(before))
                .containsExactly("made rootfs");
        Files.setLastModifiedTime(buildDir.resolve("rootfs"), FileTime.fromMillis(0));
        assertThat(plan(base.trackedOutput("rootfs", "run 1")).fingerprint().differencesFrom(before))
                .containsExactly("top of rootfs");
        // The rest of the build directory is walked as before.
        Files.writeString(buildDir.resolve("extra.txt"), "");
        assertThat(plan(base).fingerprint().differencesFrom(before)).contains("build directory");

        // Untracked, the same tree is walked whole: the hand edit is seen.
        BuildFingerprint untracked = plan(ImageBuildSpec.base(new RootfsSource.Existing(buildDir.resolve("rootfs")))
                .buildDirectoryIfPresent(buildDir).output(dir.resolve("base.aci"))).fingerprint();
        Files.writeString(rootfs.resolve("hostname"), "three");
        assertThat(plan(ImageBuildSpec.base(new RootfsSource.Existing(buildDir.resolve("rootfs")))
                .buildDirectoryIfPresent(buildDir).output(dir.resolve("base.aci"))).fingerprint()
                .differencesFrom(untracked)).containsExactly("build directory");
    }

    @Test
    void theFingerprintNamesEachInputAndKeepsValuesOutOfSight() throws Exception {
        Path copied = Files.writeString(dir.resolve("copied.txt"), "one");
        ImageBuildSpec.Builder spec = derivative().extraFiles(List.of(copied))
                .environment(Map.of("TOKEN", "s3cret")).fingerprintValue("plugin version", "1.0");
        BuildFingerprint before = plan(spec).fingerprint();
        assertThat(before.components().keySet()).containsExactly("plugin version", "configuration",
                "build variables", "manifest", "build script", "parent image", "build directory",
                "copied file " + copied);
        assertThat(plan(spec).fingerprint()).isEqualTo(before);

        Files.writeString(copied, "two!");
        assertThat(plan(spec).fingerprint().differencesFrom(before)).containsExactly("copied file " + copied);
        Files.writeString(buildDir.resolve("new.txt"), "");
        assertThat(plan(spec).fingerprint().differencesFrom(before)).contains("build directory");
        BuildFingerprint now = plan(spec).fingerprint();

        assertThat(plan(derivative().extraFiles(List.of(copied)).environment(Map.of("TOKEN", "other"))
                .fingerprintValue("plugin version", "1.1")).fingerprint().differencesFrom(now))
                .containsExactly("plugin version", "build variables");
        assertThat(plan(derivative(OTHER_PARENT).extraFiles(List.of(copied)).environment(Map.of("TOKEN", "s3cret"))
                .fingerprintValue("plugin version", "1.0")).fingerprint().differencesFrom(now))
                .containsExactly("parent image");
        assertThat(new ImageBuildPlan(spec.build(), Compression.GZIP, log).fingerprint()
                .differencesFrom(now)).containsExactly("configuration");
        assertThat(plan(spec.buildScript(BuildScript.of(List.of(), List.of("echo changed")))).fingerprint()
                .differencesFrom(now)).containsExactly("build script");

        Path record = dir.resolve("record");
        now.write(record);
        assertThat(Files.readString(record)).doesNotContain("s3cret");
    }

    @Test
    void aSpecIsEitherADerivativeOrABaseImage() {
        assertThatThrownBy(() -> ImageBuildSpec.base(new RootfsSource.Busybox()).build())
                .isInstanceOf(BuildException.class).hasMessageContaining("no output file");
        assertThatThrownBy(() -> ImageBuildSpec.base(new RootfsSource.Busybox()).output(dir.resolve("a.aci"))
                .command(List.of("true")).build())
                .isInstanceOf(BuildException.class).hasMessageContaining("need a parent image");
        assertThatThrownBy(() -> ImageBuildSpec.derivative(parent(PARENT)).build())
                .isInstanceOf(BuildException.class).hasMessageContaining("no command and no build script");
        assertThatThrownBy(() -> ImageBuildSpec.derivative(parent(PARENT)).command(List.of("true")).reuseUnchanged(true)
                .output(dir.resolve("a.aci")).build())
                .isInstanceOf(BuildException.class).hasMessageContaining("ID file");
    }
}
