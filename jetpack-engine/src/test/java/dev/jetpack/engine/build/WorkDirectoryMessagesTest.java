package dev.jetpack.engine.build;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.aci.ImageId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Engine messages reach Maven users as well as command-line users: they name the concept, never one face's
 * spelling of it (a CLI flag such as {@code -cp}, a CLI command such as {@code jetpack images}).
 */
class WorkDirectoryMessagesTest {
    @TempDir
    Path dir;

    @Test
    void aMissingFileToCopyIsNamedWithoutTheCommandLinesFlag() {
        Path missing = dir.resolve("missing.txt");
        assertThatThrownBy(() -> WorkDirectory.inputs(Optional.empty(), List.of(missing)))
                .isInstanceOf(BuildException.class)
                .hasMessageContaining("The file to copy " + missing + " does not exist")
                .message().doesNotContain("-cp");
    }

    @Test
    void twoInputsWithOneNameAreNamedWithoutTheCommandLinesFlag() throws Exception {
        Path buildDirectory = Files.createDirectories(dir.resolve("image"));
        Files.writeString(buildDirectory.resolve("app.sh"), "");
        Path other = Files.writeString(Files.createDirectories(dir.resolve("other")).resolve("app.sh"), "");
        assertThatThrownBy(() -> WorkDirectory.inputs(Optional.of(buildDirectory), List.of(other)))
                .isInstanceOf(BuildException.class)
                .hasMessageContaining("the file to copy " + other)
                .message().doesNotContain("-cp");
    }

    @Test
    void anInvalidImageIdSaysWhereIdsAreFoundWithoutACommandLine() {
        assertThatThrownBy(() -> ImageId.parse("sha512-nothex"))
                .hasMessageContaining(".aci.id file")
                .message().doesNotContain("jetpack images");
    }
}
