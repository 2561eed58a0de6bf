package dev.jetpack.engine.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file written atomically gets the modes any new file gets here (0644 under umask 022), not 0600. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void theTargetHasTheUsualModesOfANewFile() throws Exception {
        Path usual = Files.createFile(dir.resolve("plain"));
        Path written = dir.resolve("image.aci");
        AtomicFiles.write(written, new byte[] {1, 2, 3});
        assertThat(Files.getPosixFilePermissions(written)).isEqualTo(Files.getPosixFilePermissions(usual));
        assertThat(Files.getPosixFilePermissions(written)).as("readable by a web server under the usual umask")
                .contains(PosixFilePermission.OTHERS_READ);
        try (var entries = Files.list(dir)) {
            assertThat(entries).as("no temporary left").hasSize(2);
        }
    }
}
