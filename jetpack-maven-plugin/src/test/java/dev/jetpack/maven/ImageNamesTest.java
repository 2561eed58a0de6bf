package dev.jetpack.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageNamesTest {
    @Test
    void groupAndArtifactBecomeAValidIdentifier() throws Exception {
        assertThat(ImageNames.fromCoordinates("dev.jetpack", "my-app")).isEqualTo("dev.jetpack/my-app");
        assertThat(ImageNames.fromCoordinates("Dev.Jetpack", "My+App")).isEqualTo("dev.jetpack/my-app");
        assertThat(ImageNames.fromCoordinates("dev.jetpack", "my_app")).isEqualTo("dev.jetpack/my_app");
        assertThat(ImageNames.fromCoordinates("com.example", "app~2")).isEqualTo("com.example/app~2");
    }

    @Test
    void separatorRunsCollapseAndEndsAreTrimmed() throws Exception {
        assertThat(ImageNames.fromCoordinates("_org..example_", "--app  x--")).isEqualTo("org.example/app-x");
        assertThat(ImageNames.fromCoordinates("dev.jetpack", "äpp")).isEqualTo("dev.jetpack/pp");
    }

    @Test
    void resultAlwaysMatchesTheSpecPatternOrFails() throws Exception {
        String[][] cases = {{"a", "b"}, {"A.B-C", "D__E"}, {"x", "1.0"}, {"g", "a/b"}};
        for (String[] c : cases) {
            assertThat(ImageNames.fromCoordinates(c[0], c[1])).matches(ImageNames.AC_IDENTIFIER);
        }
        assertThatThrownBy(() -> ImageNames.fromCoordinates("...", "___"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("\"name\"");
    }

    @Test
    void versionLabelIsTheProjectVersionSnapshotIncluded() throws Exception {
        assertThat(ImageNames.versionLabel("1.2.3")).isEqualTo("1.2.3");
        assertThat(ImageNames.versionLabel("1.0-SNAPSHOT")).isEqualTo("1.0-SNAPSHOT");
        assertThatThrownBy(() -> ImageNames.versionLabel(" ")).isInstanceOf(ConfigurationException.class);
    }

    @Test
    void appNameIsTheImageNamesLastComponentAsAnAcName() throws Exception {
        assertThat(ImageNames.appName("dev.jetpack.images/example-nginx")).isEqualTo("example-nginx");
        assertThat(ImageNames.appName("example.com/Web_Server.v2")).isEqualTo("web-server-v2");
        assertThat(ImageNames.appName("busybox")).isEqualTo("busybox");
        assertThatThrownBy(() -> ImageNames.appName("example.com/___")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("set <name>");
    }
}
