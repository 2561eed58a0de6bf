package dev.jetpack.engine.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRepositoryMavenResolverTest {
    @TempDir
    Path repository;

    @Test
    void findsArtifactsByTheRepositoryLayout() throws IOException {
        Path plain = repository.resolve("com/example/base/1.0/base-1.0.aci");
        Path classified = repository.resolve("com/example/base/1.0/base-1.0-linux.aci");
        Files.createDirectories(plain.getParent());
        Files.writeString(plain, "aci");
        Files.writeString(classified, "aci");
        MavenResolver resolver = new LocalRepositoryMavenResolver(repository);

        assertThat(resolver.resolve("com.example", "base", "1.0", null)).isEqualTo(plain);
        assertThat(resolver.resolve((ImageSource.MavenArtifact) ImageSource.parse("mvn:com.example:base:1.0:linux")))
                .isEqualTo(classified);
    }

    @Test
    void aMissingArtifactSaysWhereItLookedAndHowToGetIt() {
        assertThatThrownBy(() -> new LocalRepositoryMavenResolver(repository).resolve("com.example", "base", "2.0", null))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("com.example:base:2.0:aci")
                .hasMessageContaining(repository.resolve("com/example/base/2.0/base-2.0.aci").toString())
                .hasMessageContaining("mvn dependency:get");
    }

    @Test
    void coordinatesCannotEscapeTheRepository() {
        assertThatThrownBy(() -> new LocalRepositoryMavenResolver(repository).resolve("..", "x", "1", null))
                .isInstanceOf(FetchException.class);
        assertThatThrownBy(() -> new LocalRepositoryMavenResolver(repository).resolve("a", "b/../../c", "1", null))
                .isInstanceOf(FetchException.class);
    }
}
