package dev.jetpack.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ImageSourceTest {
    private static final Path BASE = Path.of("/project");

    private static ImageSource parse(String spec) throws ConfigurationException {
        return ImageSource.parse(spec, BASE, "parentImage");
    }

    @Test
    void pathsAreResolvedAgainstTheBasedir() throws Exception {
        assertThat(parse("../base/target/base-1.0.aci").file()).contains(Path.of("/base/target/base-1.0.aci"));
        assertThat(parse("images/base.aci").kind()).isEqualTo(ImageSource.Kind.PATH);
        assertThat(parse("/srv/base.aci").file()).contains(Path.of("/srv/base.aci"));
    }

    @Test
    void urls() throws Exception {
        assertThat(parse("https://example.com/base.aci").kind()).isEqualTo(ImageSource.Kind.URL);
        assertThat(parse("file:///srv/x").kind()).isEqualTo(ImageSource.Kind.URL);
    }

    @Test
    void discoveryNamesKeepTheirLabels() throws Exception {
        ImageSource s = parse("example.com/app:1.0,os=linux");
        assertThat(s.kind()).isEqualTo(ImageSource.Kind.NAME);
        assertThat(s.reference().orElseThrow().labels()).containsEntry("version", "1.0").containsEntry("os", "linux");
        assertThat(parse("busybox").kind()).isEqualTo(ImageSource.Kind.NAME);
    }

    @Test
    void coordinatesInAllThreeForms() throws Exception {
        assertThat(parse("com.example:base:1.0").coordinates().orElseThrow())
                .isEqualTo(new ImageSource.MavenCoordinates("com.example", "base", "aci", "", "1.0"));
        assertThat(parse("com.example:app:aci:1.0").coordinates().orElseThrow().extension()).isEqualTo("aci");
        assertThat(parse("com.example:app:aci:image:1.0-SNAPSHOT").coordinates().orElseThrow())
                .hasToString("com.example:app:aci:image:1.0-SNAPSHOT");
    }

    @Test
    void badInputNamesTheParameter() {
        assertThatThrownBy(() -> parse(" ")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'parentImage' is empty");
        assertThatThrownBy(() -> parse("a::1.0")).hasMessageContaining("Invalid Maven coordinates 'a::1.0'");
        assertThatThrownBy(() -> parse("a:b:c:d:e:f")).hasMessageContaining("groupId:artifactId");
        assertThatThrownBy(() -> parse("example.com/app,os")).hasMessageContaining("parentImage")
                .hasMessageContaining("KEY=VALUE");
    }
}
