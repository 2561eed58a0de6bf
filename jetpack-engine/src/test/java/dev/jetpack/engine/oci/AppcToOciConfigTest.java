package dev.jetpack.engine.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.manifest.App;
import dev.jetpack.engine.manifest.EnvironmentVariable;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The appc → OCI config rules that the client tests do not reach: platforms, docker2aci's annotations, errors. */
class AppcToOciConfigTest {
    private static final ImageId ID = ImageId.parse("sha512-" + "ab".repeat(64));

    @TempDir
    Path rootfs;

    @Test
    void appcArchitecturesGetTheirOciNamesAndThoseWithoutOneAreRefused() {
        assertThat(platformOf("aarch64")).isEqualTo(new AppcToOciConfig.Platform("linux", "arm64", null));
        assertThat(platformOf("i386")).isEqualTo(new AppcToOciConfig.Platform("linux", "386", null));
        assertThat(platformOf("armv7l")).isEqualTo(new AppcToOciConfig.Platform("linux", "arm", "v7"));
        assertThat(platformOf("armv6l")).isEqualTo(new AppcToOciConfig.Platform("linux", "arm", "v6"));
        assertThat(platformOf("s390x")).isEqualTo(new AppcToOciConfig.Platform("linux", "s390x", null));
        assertThatThrownBy(() -> platformOf("aarch64_be")).isInstanceOf(OciFormatException.class)
                .hasMessageContaining("'aarch64_be'").hasMessageContaining("cannot be exported");

        List<String> warnings = new ArrayList<>();
        assertThat(AppcToOciConfig.platform(TestImages.manifest("example.com/x"), warnings))
                .isEqualTo(new AppcToOciConfig.Platform("linux", "amd64", null));
        assertThat(warnings).singleElement().asString().contains("no os label");
    }

    @Test
    void docker2acisEntrypointAndCmdAreRestoredAndNamesAndNumbersPassThrough() {
        ImageManifest manifest = TestImages.manifest("example.com/from-docker", "os", "linux", "arch", "amd64")
                .withApp(App.of(List.of("/entry", "--flag", "default-arg"), "www-data", "42")
                        .withEnvironment(List.of(new EnvironmentVariable("PATH", "/opt/bin"))))
                .withAnnotation(AppcToOciConfig.DOCKER_ENTRYPOINT, "[\"/entry\",\"--flag\"]")
                .withAnnotation(AppcToOciConfig.DOCKER_CMD, "[\"default-arg\"]");

        OciConfig config = AppcToOciConfig.map(manifest, ID, rootfs, List.of(), List.of()).config();

        assertThat(config.config().entrypoint()).containsExactly("/entry", "--flag");
        assertThat(config.config().cmd()).containsExactly("default-arg");
        assertThat(config.config().user()).isEqualTo("www-data:42");
        assertThat(config.config().env()).as("the image's own PATH wins").containsExactly("PATH=/opt/bin",
                "AC_APP_NAME=from-docker");
        assertThat(config.created()).isEqualTo("1970-01-01T00:00:00Z");
    }

    @Test
    void aPathUserMustExistInTheImageAndStayInsideIt() throws Exception {
        Files.createDirectories(rootfs.resolve("home"));
        ImageManifest missing = TestImages.manifest("example.com/x", "os", "linux", "arch", "amd64")
                .withApp(App.of(List.of("/bin/sh"), "/home/nobody", "0"));
        assertThatThrownBy(() -> AppcToOciConfig.map(missing, ID, rootfs, List.of(), List.of()))
                .isInstanceOf(OciFormatException.class).hasMessageContaining("'/home/nobody'")
                .hasMessageContaining("Fix the manifest's app.user");
        ImageManifest escaping = missing.withApp(App.of(List.of("/bin/sh"), "0", "/../etc"));
        assertThatThrownBy(() -> AppcToOciConfig.map(escaping, ID, rootfs, List.of(), List.of()))
                .isInstanceOf(OciFormatException.class).hasMessageContaining("leaves the image's tree");
    }

    @Test
    void createdIsTheImagesOwnTimeInUtcAndABadOneIsWarnedAbout() {
        List<String> warnings = new ArrayList<>();
        ImageManifest built = TestImages.manifest("example.com/x").withAnnotation("timestamp", "2025-06-01T12:00:00.5-02:00");
        assertThat(AppcToOciConfig.created(built, warnings)).isEqualTo("2025-06-01T14:00:00.500Z");
        ImageManifest bad = built.withAnnotation("created", "yesterday");
        assertThat(AppcToOciConfig.created(bad, warnings)).as("falls back to the timestamp")
                .isEqualTo("2025-06-01T14:00:00.500Z");
        assertThat(warnings).singleElement().asString().contains("created='yesterday'");
    }

    private static AppcToOciConfig.Platform platformOf(String arch) {
        return AppcToOciConfig.platform(TestImages.manifest("example.com/x", "os", "linux", "arch", arch),
                new ArrayList<>());
    }
}
