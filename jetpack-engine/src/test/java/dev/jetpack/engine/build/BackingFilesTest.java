package dev.jetpack.engine.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topmost layer that has a path holds it, as overlayfs looks it up, whatever order the lookups come in. */
class BackingFilesTest {
    @TempDir
    Path dir;

    @Test
    void theTopmostLayerWithThePathHoldsIt() throws Exception {
        Path upper = layer("upper", "etc/a", "top");
        Path middle = layer("middle", "etc/a", "etc/b", "file-at-root");
        Path bottom = layer("bottom", "etc/c", "usr/lib/x", "etc/b");
        BackingFiles files = new BackingFiles(List.of(upper, middle, bottom), dir.resolve("merged"));

        assertThat(files.apply("etc/a")).isEqualTo(upper.resolve("etc/a"));
        assertThat(files.apply("etc/b")).isEqualTo(middle.resolve("etc/b"));
        assertThat(files.apply("etc/c")).isEqualTo(bottom.resolve("etc/c"));
        assertThat(files.apply("usr/lib/x")).isEqualTo(bottom.resolve("usr/lib/x"));
        assertThat(files.apply("etc/b")).as("back in a directory listed before").isEqualTo(middle.resolve("etc/b"));
        assertThat(files.apply("top")).isEqualTo(upper.resolve("top"));
        assertThat(files.apply("file-at-root")).isEqualTo(middle.resolve("file-at-root"));
        assertThatThrownBy(() -> files.apply("etc/none")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("etc/none").hasMessageContaining("none of its layers");
    }

    @Test
    void aLayerWithAFileWhereOthersHaveADirectoryHasNothingBelowIt() throws Exception {
        Path upper = layer("upper", "opt"); // a file (or a whiteout) named opt
        Path lower = layer("lower", "opt/tool");
        BackingFiles files = new BackingFiles(List.of(upper, lower), dir.resolve("merged"));
        assertThat(files.apply("opt/tool")).isEqualTo(lower.resolve("opt/tool"));
    }

    private Path layer(String name, String... files) throws Exception {
        Path root = Files.createDirectories(dir.resolve(name));
        for (String file : files) {
            Path path = root.resolve(file);
            Files.createDirectories(path.getParent());
            Files.writeString(path, name);
        }
        return root;
    }
}
