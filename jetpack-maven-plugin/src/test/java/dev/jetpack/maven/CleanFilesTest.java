package dev.jetpack.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CleanFilesTest {
    @TempDir
    Path base;

    @Test
    void removesFilesDirectoriesAndLastNameGlobsLoggingEach() throws Exception {
        Files.writeString(base.resolve("rootfs.tar.gz"), "x");
        Files.createDirectories(base.resolve("cache/deep"));
        Files.writeString(base.resolve("cache/deep/f"), "x");
        Files.createDirectories(base.resolve("out"));
        Files.writeString(base.resolve("out/a.tmp"), "x");
        Files.writeString(base.resolve("out/b.tmp"), "x");
        Files.writeString(base.resolve("out/keep.txt"), "x");
        List<String> log = new ArrayList<>();
        List<Path> removed = CleanFiles.clean(base, List.of("rootfs.tar.gz", "cache", "out/*.tmp", "absent"),
                log::add);
        assertThat(removed).containsExactly(base.resolve("rootfs.tar.gz"), base.resolve("cache"),
                base.resolve("out/a.tmp"), base.resolve("out/b.tmp"));
        assertThat(log).containsExactly("Deleting " + base.resolve("rootfs.tar.gz"), "Deleting "
                + base.resolve("cache"), "Deleting " + base.resolve("out/a.tmp"), "Deleting "
                + base.resolve("out/b.tmp"));
        assertThat(base.resolve("out/keep.txt")).exists();
    }

    @Test
    void linksAreRemovedNotFollowed() throws Exception {
        Path outside = Files.createDirectories(base.resolve("outside"));
        Files.writeString(outside.resolve("precious"), "x");
        Path project = Files.createDirectories(base.resolve("project"));
        Files.createSymbolicLink(project.resolve("link"), outside);
        CleanFiles.clean(project, List.of("link"), s -> { });
        assertThat(project.resolve("link")).doesNotExist();
        assertThat(outside.resolve("precious")).exists();
    }

    @Test
    void refusesAnythingOutsideTheProjectOrTheProjectItself() {
        assertThatThrownBy(() -> CleanFiles.clean(base, List.of("../x"), s -> { }))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("not inside the project");
        assertThatThrownBy(() -> CleanFiles.clean(base, List.of("."), s -> { }))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> CleanFiles.clean(base, List.of("/"), s -> { }))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> CleanFiles.clean(base, List.of("*/x"), s -> { }))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("only the last name");
        assertThat(base).exists();
    }
}
