package dev.jetpack.engine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.testing.TestTrees;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * statx through JNA against the JDK's own {@code unix:} view of the same files, for every kind of entry an image
 * holds, and against the tools that made them (device numbers, a uid above 2^31, nanoseconds, times outside the
 * JDK's nanosecond range).
 */
class FileStatusTest {
    @TempDir
    Path dir;

    @Test
    void agreesWithTheJdkOnEveryKindOfEntry() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "twelve bytes");
        TestTrees.run("chown", "4294967294:65534", file.toString()); // before chmod: chown clears setuid
        TestTrees.run("chmod", "6755", file.toString());
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2024-05-06T07:08:09.123456789Z")));
        Path directory = Files.createDirectory(dir.resolve("dir"));
        TestTrees.run("chmod", "1777", directory.toString());
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("nowhere"));
        Path fifo = dir.resolve("fifo");
        TestTrees.run("mkfifo", fifo.toString());
        Path device = dir.resolve("device");
        TestTrees.run("mknod", device.toString(), "b", "259", "1048575");
        Path hardLink = Files.createLink(dir.resolve("second"), file);

        for (Path path : new Path[] {file, directory, link, fifo, device, hardLink}) {
            Map<String, Object> jdk = Files.readAttributes(path,
                    "unix:mode,ino,dev,rdev,nlink,uid,gid,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
            FileStatus status = FileStatus.of(path);
            assertThat(status.mode()).as("mode of %s", path).isEqualTo(jdk.get("mode"));
            assertThat(status.inode()).as("inode of %s", path).isEqualTo(jdk.get("ino"));
            assertThat(status.nlink()).as("links of %s", path).isEqualTo(((Integer) jdk.get("nlink")).longValue());
            assertThat(status.uid()).as("uid of %s", path)
                    .isEqualTo(Integer.toUnsignedLong((Integer) jdk.get("uid")));
            assertThat(status.gid()).as("gid of %s", path)
                    .isEqualTo(Integer.toUnsignedLong((Integer) jdk.get("gid")));
            assertThat(status.size()).as("size of %s", path).isEqualTo(jdk.get("size"));
            assertThat(status.mtime()).as("mtime of %s", path)
                    .isEqualTo(((FileTime) jdk.get("lastModifiedTime")).toInstant());
        }
        FileStatus ofFile = FileStatus.of(file);
        assertThat(ofFile.type()).isEqualTo(FileModes.S_IFREG);
        assertThat(ofFile.permissions()).isEqualTo(06755);
        assertThat(ofFile.uid()).isEqualTo(4294967294L);
        assertThat(ofFile.nlink()).isEqualTo(2);
        assertThat(ofFile.device()).isEqualTo(FileStatus.of(hardLink).device());
        assertThat(ofFile.mtime()).isEqualTo(Instant.parse("2024-05-06T07:08:09.123456789Z"));
        assertThat(FileStatus.of(directory).permissions()).isEqualTo(01777);
        assertThat(FileStatus.of(link).type()).as("the link itself, not its (missing) target")
                .isEqualTo(FileModes.S_IFLNK);
        assertThat(FileStatus.of(fifo).type()).isEqualTo(FileModes.S_IFIFO);
        FileStatus ofDevice = FileStatus.of(device);
        assertThat(ofDevice.type()).isEqualTo(FileModes.S_IFBLK);
        assertThat(ofDevice.rdevMajor()).isEqualTo(259);
        assertThat(ofDevice.rdevMinor()).isEqualTo(1048575);
    }

    @Test
    void readsTimesBeforeTheEpochAndPastTheJdksNanosecondRange() throws Exception {
        Path file = Files.writeString(dir.resolve("old"), "x");
        TestTrees.run("touch", "-h", "-m", "-d", "@-1000000000.25", file.toString()); // 1938, before the epoch
        assertThat(FileStatus.of(file).mtime()).isEqualTo(Instant.ofEpochSecond(-1000000001L, 750_000_000));
        TestTrees.run("touch", "-h", "-m", "-d", "@10000000000", file.toString()); // 2286, past the JDK's 2262
        assertThat(FileStatus.of(file).mtime()).isEqualTo(Instant.ofEpochSecond(10000000000L));
    }

    @Test
    void aMissingFileIsNoSuchFile() {
        assertThatThrownBy(() -> FileStatus.of(dir.resolve("missing"))).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> FileStatus.of(dir.resolve("missing/below"))).isInstanceOf(NoSuchFileException.class);
    }
}
