package dev.jetpack.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.EngineLog;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagingAreaTest {
    @TempDir
    Path temp;

    @Test
    void cleanupRemovesAbandonedWorkAndKeepsLiveWork() throws Exception {
        Path tmp = temp.resolve("tmp");
        StagingArea area = new StagingArea(tmp);
        // Abandoned: a lock file nobody holds (its process died) with its directory, and a directory without one.
        Files.createDirectories(tmp.resolve("import-dead/rootfs/etc"));
        Files.writeString(tmp.resolve("import-dead/rootfs/etc/file"), "x");
        Files.createFile(tmp.resolve("import-dead.lock"));
        Files.createDirectories(tmp.resolve("orphan"));
        try (StagingArea.Workspace live = area.create("import")) {
            Files.writeString(live.directory().resolve("image.aci"), "in progress");

            assertThat(area.removeAbandoned(EngineLog.SILENT)).containsExactlyInAnyOrder("import-dead", "orphan");

            assertThat(tmp.resolve("import-dead")).doesNotExist();
            assertThat(tmp.resolve("import-dead.lock")).doesNotExist();
            assertThat(tmp.resolve("orphan")).doesNotExist();
            assertThat(live.directory().resolve("image.aci")).hasContent("in progress");
        }
        assertThat(tmp).isEmptyDirectory();
    }
}
