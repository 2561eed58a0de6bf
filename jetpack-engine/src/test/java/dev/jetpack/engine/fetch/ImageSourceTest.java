package dev.jetpack.engine.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.manifest.ImageReference;
import dev.jetpack.engine.oci.registry.RegistryReference;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageSourceTest {
    @TempDir
    Path base;

    private ImageSource parse(String text) {
        return ImageSource.parse(text, base);
    }

    @Test
    void mavenCoordinatesWithAndWithoutClassifier() {
        assertThat(parse("mvn:com.example:base-image:1.0"))
                .isEqualTo(new ImageSource.MavenArtifact("com.example", "base-image", "1.0", null));
        assertThat(parse("mvn:com.example:base-image:1.0-SNAPSHOT:linux-amd64"))
                .isEqualTo(new ImageSource.MavenArtifact("com.example", "base-image", "1.0-SNAPSHOT", "linux-amd64"));
    }

    @Test
    void badMavenCoordinatesSayTheExpectedForm() {
        for (String text : new String[] {"mvn:a:b", "mvn:a:b:c:d:e", "mvn:a::1.0", "mvn:../x:b:1"}) {
            assertThatThrownBy(() -> parse(text)).as(text)
                    .isInstanceOf(FetchException.class)
                    .hasMessageContaining("mvn:GROUP_ID:ARTIFACT_ID:VERSION[:CLASSIFIER]");
        }
    }

    @Test
    void mavenCoordinatesInMavensOwnForms() {
        // The Maven plugin's parentImage is parsed here too: groupId:artifactId[:aci[:classifier]]:version.
        assertThat(parse("com.example:base:1.0"))
                .isEqualTo(new ImageSource.MavenArtifact("com.example", "base", "1.0", null));
        assertThat(parse("com.example:app:aci:1.0"))
                .isEqualTo(new ImageSource.MavenArtifact("com.example", "app", "1.0", null));
        assertThat(parse("com.example:app:aci:image:1.0-SNAPSHOT"))
                .isEqualTo(new ImageSource.MavenArtifact("com.example", "app", "1.0-SNAPSHOT", "image"));
        assertThatThrownBy(() -> parse("com.example:app:jar:1.0")).isInstanceOf(FetchException.class)
                .hasMessageContaining("type jar").hasMessageContaining("type aci");
        for (String text : List.of("a::1.0", "a:b:c:d:e:f", "a:b:c:d:e:f:g")) {
            assertThatThrownBy(() -> parse(text)).as(text).isInstanceOf(FetchException.class)
                    .hasMessageContaining("'" + text + "' is not valid Maven coordinates")
                    .hasMessageContaining("GROUP_ID:ARTIFACT_ID[:aci[:CLASSIFIER]]:VERSION");
        }
        // One colon, or a slash: an image name with a version, never coordinates.
        assertThat(parse("example.com/app:1.0")).isInstanceOf(ImageSource.Named.class);
        assertThat(parse("busybox:1.36")).isInstanceOf(ImageSource.Named.class);
    }

    @Test
    void anImageIdIsLookedUpInTheStore() {
        String id = "sha512-" + "ab".repeat(64);
        assertThat(parse(id)).isEqualTo(new ImageSource.StoredId(id));
        assertThat(parse("sha512-abcdef")).isEqualTo(new ImageSource.StoredId("sha512-abcdef"));
    }

    @Test
    void httpAndHttpsUrls() {
        assertThat(parse("https://example.com/app-1.0.aci"))
                .isEqualTo(new ImageSource.Url(URI.create("https://example.com/app-1.0.aci")));
        assertThat(parse("HTTP://example.com/app.aci")).isInstanceOf(ImageSource.Url.class);
        assertThatThrownBy(() -> parse("ftp://example.com/app.aci"))
                .isInstanceOf(FetchException.class).hasMessageContaining("unsupported URL scheme");
    }

    @Test
    void pathsAndFileUrls() throws IOException {
        assertThat(parse("/tmp/app.aci")).isEqualTo(new ImageSource.LocalFile(Path.of("/tmp/app.aci")));
        assertThat(parse("./app")).isEqualTo(new ImageSource.LocalFile(base.resolve("app")));
        assertThat(parse("images/app.aci")).isEqualTo(new ImageSource.LocalFile(base.resolve("images/app.aci")));
        assertThat(parse("file:///srv/my%20app.aci")).isEqualTo(new ImageSource.LocalFile(Path.of("/srv/my app.aci")));
        assertThat(parse("file:rel/app.aci")).isEqualTo(new ImageSource.LocalFile(base.resolve("rel/app.aci")));
        Files.writeString(base.resolve("image"), "x");
        assertThat(parse("image")).isEqualTo(new ImageSource.LocalFile(base.resolve("image")));
    }

    @Test
    void everythingElseIsAnImageNameWithLabels() {
        assertThat(parse("example.com/app:1.0,os=linux,arch=amd64"))
                .isEqualTo(new ImageSource.Named(ImageReference.parse("example.com/app:1.0,os=linux,arch=amd64")));
        assertThat(parse("example.com/app")).isInstanceOf(ImageSource.Named.class);
    }

    @Test
    void ociSourcesInSkopeosSpellings() {
        assertThat(parse("oci:target/layout:1.0"))
                .isEqualTo(new ImageSource.OciLayoutSource(base.resolve("target/layout"), Optional.of("1.0")));
        assertThat(parse("oci:/srv/layout")).isEqualTo(new ImageSource.OciLayoutSource(Path.of("/srv/layout"),
                Optional.empty()));
        assertThat(parse("docker-archive:app.tar"))
                .isEqualTo(new ImageSource.DockerArchive(base.resolve("app.tar"), Optional.empty()));
        assertThat(parse("docker-archive:/tmp/app.tar:team/app:1.0"))
                .isEqualTo(new ImageSource.DockerArchive(Path.of("/tmp/app.tar"), Optional.of("team/app:1.0")));
        ImageSource registry = parse("docker://127.0.0.1:5000/team/app:1.0");
        assertThat(registry).isEqualTo(new ImageSource.DockerRegistry(
                RegistryReference.parse("127.0.0.1:5000/team/app:1.0")));
        assertThat(registry.toString()).isEqualTo("docker://127.0.0.1:5000/team/app:1.0");
        assertThatThrownBy(() -> parse("oci::1.0")).isInstanceOf(FetchException.class)
                .hasMessageContaining("oci:DIRECTORY[:TAG]");
        assertThatThrownBy(() -> parse("docker-archive:")).isInstanceOf(FetchException.class)
                .hasMessageContaining("docker-archive:FILE");
        assertThatThrownBy(() -> parse("docker://127.0.0.1:5000/Bad Name:1")).hasMessageContaining("invalid");
    }

    @Test
    void blankInputIsAnError() {
        assertThatThrownBy(() -> parse("  ")).isInstanceOf(FetchException.class).hasMessageContaining("No image given");
    }
}
