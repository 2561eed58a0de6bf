package dev.jetpack.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MavenProgressTest {
    @Test
    void interactiveReportsEachTenthOnceThenTheEnd() {
        List<String> lines = new ArrayList<>();
        MavenProgress progress = new MavenProgress(lines::add, true);
        for (long done = 0; done <= 2048; done += 64) {
            progress.progress("Downloading x", done, 2048);
        }
        progress.finished("Downloading x");
        assertThat(lines).hasSize(11);
        assertThat(lines.get(0)).isEqualTo("Downloading x: 10% of 2.0 KiB");
        assertThat(lines.get(9)).isEqualTo("Downloading x: 100% of 2.0 KiB");
        assertThat(lines.get(10)).isEqualTo("Downloading x: done (2.0 KiB)");
    }

    @Test
    void unknownTotalReportsEveryTenMebibytes() {
        List<String> lines = new ArrayList<>();
        MavenProgress progress = new MavenProgress(lines::add, true);
        for (long done = 0; done <= 25L << 20; done += 1L << 20) {
            progress.progress("Compressing", done, -1);
        }
        assertThat(lines).containsExactly("Compressing: 10.0 MiB", "Compressing: 20.0 MiB");
    }

    @Test
    void batchModeOnlyReportsTheEnd() {
        List<String> lines = new ArrayList<>();
        MavenProgress progress = new MavenProgress(lines::add, false);
        progress.progress("Downloading x", 500, 1000);
        progress.progress("Downloading x", 1000, 1000);
        progress.finished("Downloading x");
        assertThat(lines).containsExactly("Downloading x: done (1000 B)");
    }
}
