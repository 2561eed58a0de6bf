package dev.jetpack.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeCopierTest {
    @TempDir
    Path dir;

    @Test
    void copiesContentModesTimesAndLinksAsLinks() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/sub"));
        Path script = src.resolve("run.sh");
        Files.writeString(script, "#!/bin/sh\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
        Files.setLastModifiedTime(script, FileTime.fromMillis(1_000_000_000_000L));
        Files.createSymbolicLink(src.resolve("root"), Path.of("/"));
        Files.setPosixFilePermissions(src, PosixFilePermissions.fromString("rwx------"));
        Files.setLastModifiedTime(src, FileTime.fromMillis(2_000_000_000_000L));

        Path to = dir.resolve("to");
        TreeCopier.copyTree(dir.resolve("src"), to);
        TreeCopier.copyTree(dir.resolve("src"), to); // again, over the first copy

        Path copied = to.resolve("sub/run.sh");
        assertThat(Files.readString(copied)).isEqualTo("#!/bin/sh\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copied))).isEqualTo("rwxr-x---");
        assertThat(Files.getLastModifiedTime(copied).toMillis()).isEqualTo(1_000_000_000_000L);
        assertThat(Files.isSymbolicLink(to.resolve("sub/root"))).isTrue();
        assertThat(Files.readSymbolicLink(to.resolve("sub/root"))).isEqualTo(Path.of("/"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(to.resolve("sub"),
                LinkOption.NOFOLLOW_LINKS))).isEqualTo("rwx------");
        assertThat(Files.getLastModifiedTime(to.resolve("sub")).toMillis()).isEqualTo(2_000_000_000_000L);
    }
}
