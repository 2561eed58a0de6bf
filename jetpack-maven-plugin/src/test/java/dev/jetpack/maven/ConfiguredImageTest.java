package dev.jetpack.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.fetch.ImageSource;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin's image parameters go through the engine's one parser; the plugin adds the parameter's name. */
class ConfiguredImageTest {
    @TempDir
    Path basedir;
    FetchMojo mojo = new FetchMojo();

    @BeforeEach
    void project() {
        mojo.project = new MavenProject();
        mojo.project.setFile(new File(basedir.toFile(), "pom.xml"));
    }

    private AbstractImageMojo.ConfiguredImage parse(String text) throws ConfigurationException {
        return mojo.configuredImage(text, "parentImage");
    }

    @Test
    void pathsAreResolvedAgainstTheBasedirAndMustExist() throws Exception {
        Path aci = Files.createDirectories(basedir.resolve("target")).resolve("base-1.0.aci");
        Files.writeString(aci, "not really an image");
        assertThat(parse("target/base-1.0.aci").source()).isEqualTo(new ImageSource.LocalFile(aci));
        assertThatThrownBy(() -> parse("../missing/base.aci")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Parameter 'parentImage' names the file "
                        + basedir.resolve("../missing/base.aci").normalize() + ", which does not exist");
    }

    @Test
    void coordinatesNamesAndUrlsKeepTheirText() throws Exception {
        AbstractImageMojo.ConfiguredImage coordinates = parse(" com.example:base:1.0 ");
        assertThat(coordinates.source()).isEqualTo(new ImageSource.MavenArtifact("com.example", "base", "1.0", null));
        assertThat(coordinates.text()).isEqualTo("com.example:base:1.0");
        assertThat(coordinates.parameter()).isEqualTo("parentImage");
        assertThat(parse("example.com/app:1.0,os=linux").source()).isInstanceOf(ImageSource.Named.class);
        assertThat(parse("https://example.com/base.aci").source()).isInstanceOf(ImageSource.Url.class);
    }

    @Test
    void badInputNamesTheParameter() {
        assertThatThrownBy(() -> parse(" ")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'parentImage' is empty");
        assertThatThrownBy(() -> parse("a::1.0")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("parameter 'parentImage'").hasMessageContaining("'a::1.0'");
        assertThatThrownBy(() -> parse("a:b:c:d:e:f")).hasMessageContaining("GROUP_ID:ARTIFACT_ID");
        assertThatThrownBy(() -> parse("com.example:app:jar:1.0")).hasMessageContaining("type aci");
        assertThatThrownBy(() -> parse("example.com/app,os")).hasMessageContaining("parentImage")
                .hasMessageContaining("KEY=VALUE");
    }
}
