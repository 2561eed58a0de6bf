package dev.jetpack.engine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.testing.TestTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mknod and utimensat through JNA, checked with stat(1): what tar -x would have made. */
class FileNodesTest {
    @TempDir
    Path dir;

    @Test
    void createsDevicesAndFifosWithTheirNumbers() throws Exception {
        assertThat(FileNodes.available()).as("JNA binds mknod and utimensat on this host").isTrue();
        Path tty = dir.resolve("tty");
        FileNodes.create(tty, FileNodes.Kind.CHARACTER_DEVICE, 5, 0);
        Path disk = dir.resolve("disk");
        FileNodes.create(disk, FileNodes.Kind.BLOCK_DEVICE, 259, 1048575);
        Path fifo = dir.resolve("fifo");
        FileNodes.create(fifo, FileNodes.Kind.FIFO, 0, 0);

        // %t and %T: major and minor in hex
        assertThat(stat("%F %t %T", tty)).isEqualTo("character special file 5 0");
        assertThat(stat("%F %t %T", disk)).isEqualTo("block special file 103 fffff");
        assertThat(stat("%F", fifo)).isEqualTo("fifo");
        assertThatThrownBy(() -> FileNodes.create(fifo, FileNodes.Kind.FIFO, 0, 0))
                .isInstanceOf(IOException.class).hasMessageContaining(fifo.toString());
    }

    @Test
    void setsTheTimeOfTheEntryItselfNeverOpeningIt() throws Exception {
        Path fifo = dir.resolve("fifo");
        FileNodes.create(fifo, FileNodes.Kind.FIFO, 0, 0); // opening it would block: utimensat does not open
        FileNodes.setModifiedTime(fifo, Instant.ofEpochSecond(1_700_000_000L, 123_456_789));
        assertThat(stat("%y", fifo)).startsWith("2023-11-14 22:13:20.123456789");

        Path target = Files.writeString(dir.resolve("target"), "x");
        Instant targetTime = Files.getLastModifiedTime(target).toInstant();
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        FileNodes.setModifiedTime(link, Instant.ofEpochSecond(10_000_000_000L)); // 2286: past the JDK's 2262
        assertThat(Files.getLastModifiedTime(target).toInstant()).as("the link's target is untouched")
                .isEqualTo(targetTime);
        assertThat(stat("%Y", link)).isEqualTo("10000000000");
    }

    @Test
    void encodesDeviceNumbersAsGlibcDoes() {
        assertThat(FileNodes.device(1, 3)).isEqualTo(0x103L);
        assertThat(FileNodes.device(259, 1048575)).isEqualTo(0xfff103ffL);
    }

    private static String stat(String format, Path path) throws IOException {
        return new String(TestTrees.run("stat", "-c", format, path.toString()), StandardCharsets.UTF_8).strip();
    }
}
