package dev.jetpack.engine.build;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.io.HostCommand;
import dev.jetpack.engine.io.Mounts;
import dev.jetpack.engine.testing.TreeSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real overlay mounts and copies, as root. */
class BuildContainerTest {
    @TempDir
    Path temp;
    Path lower;
    Path containers;
    List<Path> mountsBefore;

    @BeforeEach
    void parentRootfs() throws IOException {
        mountsBefore = Mounts.mountPointsUnder(temp);
        lower = temp.resolve("parent-rootfs");
        containers = temp.resolve("containers");
        Files.createDirectories(lower.resolve("etc"));
        Files.writeString(lower.resolve("etc/config"), "original");
        Files.createDirectories(lower.resolve("var/cache/apt"));
        Files.writeString(lower.resolve("var/cache/apt/pkgcache.bin"), "cache");
        Files.writeString(lower.resolve("secret"), "secret");
        Files.setPosixFilePermissions(lower.resolve("secret"), PosixFilePermissions.fromString("rw-r-----"));
        HostCommand.check(List.of("chown", "1234:5678", lower.resolve("secret").toString()));
        Files.createSymbolicLink(lower.resolve("link"), Path.of("etc/config"));
        Files.createLink(lower.resolve("hardlink"), lower.resolve("secret"));
        HostCommand.check(List.of("mknod", "-m", "600", lower.resolve("device").toString(), "c", "1", "3"));
        HostCommand.check(List.of("mkfifo", lower.resolve("fifo").toString()));
        for (Path path : List.of(lower.resolve("etc/config"), lower.resolve("etc"), lower)) {
            Files.setLastModifiedTime(path, FileTime.from(Instant.parse("2020-01-02T03:04:05Z")));
        }
    }

    @AfterEach
    void noMountLeft() throws IOException {
        // Scoped to this test's directory: other builds on the machine mount and unmount concurrently.
        assertThat(Mounts.mountPointsUnder(temp)).isEqualTo(mountsBefore);
    }

    @Test
    void overlayContainerShowsTheParentAndLeavesNothingWhenClosed() throws IOException {
        Map<String, String> parent = TreeSnapshot.of(lower);
        Path directory;
        try (BuildContainer container = BuildContainer.create(lower, containers, BuildContainer.Mode.OVERLAY)) {
            directory = container.directory();
            assertThat(container.isOverlay()).isTrue();
            assertThat(container.fallbackReason()).isEmpty();
            assertThat(container.lowerDir()).isEqualTo(lower);
            assertThat(Mounts.isMountPoint(container.root())).isTrue();
            assertThat(TreeSnapshot.of(container.root())).isEqualTo(parent);
        }
        assertThat(directory).doesNotExist();
        assertThat(containers).isEmptyDirectory();
        assertThat(TreeSnapshot.of(lower)).isEqualTo(parent);
    }

    @Test
    void writesGoToTheUpperDirAndDeletionsAndOpaqueDirectoriesShowInTheChanges() throws IOException {
        Map<String, String> parent = TreeSnapshot.of(lower);
        try (BuildContainer container = BuildContainer.create(lower, containers)) {
            assertThat(container.isOverlay()).isTrue();
            Path root = container.root();
            Files.writeString(root.resolve("etc/config"), "changed");
            Files.writeString(root.resolve("etc/new"), "new");
            Files.delete(root.resolve("secret"));
            Files.delete(root.resolve("link"));
            Files.delete(root.resolve("var/cache/apt/pkgcache.bin"));
            Files.delete(root.resolve("var/cache/apt"));
            dev.jetpack.engine.io.FileTrees.deleteRecursively(root.resolve("etc"));
            Files.createDirectory(root.resolve("etc"));
            Files.writeString(root.resolve("etc/only"), "only");

            assertThat(container.upperDir().resolve("etc/only")).hasContent("only");
            OverlayChanges changes = OverlayChanges.read(container.upperDir());
            assertThat(changes.changed()).containsExactly("etc", "etc/only", "var", "var/cache");
            assertThat(changes.deleted()).containsExactly("link", "secret", "var/cache/apt");
            assertThat(changes.opaqueDirectories()).containsExactly("etc");
            assertThat(changes.isEmpty()).isFalse();
        }
        assertThat(TreeSnapshot.of(lower)).as("the parent is never written").isEqualTo(parent);
    }

    @Test
    void copyModeGivesTheSameTreeAsTheOverlay() throws IOException {
        try (BuildContainer overlay = BuildContainer.create(lower, containers, BuildContainer.Mode.OVERLAY);
             BuildContainer copy = BuildContainer.create(lower, containers, BuildContainer.Mode.COPY)) {
            assertThat(copy.isOverlay()).isFalse();
            assertThat(copy.fallbackReason()).contains("copy mode requested");
            assertThat(Mounts.isMountPoint(copy.root())).isFalse();
            assertThat(TreeSnapshot.of(copy.root())).isEqualTo(TreeSnapshot.of(overlay.root()))
                    .isEqualTo(TreeSnapshot.of(lower));
            assertThatThrownBy(copy::upperDir).isInstanceOf(IllegalStateException.class).hasMessageContaining("copy");
            Files.writeString(copy.root().resolve("etc/config"), "changed in the copy");
            assertThat(lower.resolve("etc/config")).hasContent("original");
        }
        assertThat(containers).isEmptyDirectory();
    }

    @Test
    void closeDetachesABusyMountLazily() throws IOException {
        BuildContainer container = BuildContainer.create(lower, containers, BuildContainer.Mode.OVERLAY);
        try (FileChannel open = FileChannel.open(container.root().resolve("etc/config"))) {
            container.close();
            assertThat(container.directory()).doesNotExist();
            assertThat(open.isOpen()).isTrue();
        }
        container.close(); // idempotent
    }

    @ParameterizedTest
    @EnumSource(value = BuildContainer.Mode.class, names = {"OVERLAY", "COPY"})
    void cleanStaleRemovesContainersOfDeadProcessesOnly(BuildContainer.Mode mode) throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        try (BuildContainer crashed = BuildContainer.create(lower, containers, mode);
             BuildContainer alive = BuildContainer.create(lower, containers, mode)) {
            Files.writeString(crashed.directory().resolve(BuildContainer.OWNER_FILE), gone.pid() + " 0\n");

            List<Path> removed = BuildContainer.cleanStale(containers, EngineLog.SILENT);

            assertThat(removed).containsExactly(crashed.directory());
            assertThat(crashed.directory()).doesNotExist();
            assertThat(Mounts.mountPointsUnder(crashed.directory())).isEmpty();
            assertThat(alive.root().resolve("etc/config")).hasContent("original");
            assertThat(Mounts.isMountPoint(alive.root())).isEqualTo(mode == BuildContainer.Mode.OVERLAY);
        }
        assertThat(containers).isEmptyDirectory();
    }

    @Test
    void aMissingParentIsAClearErrorAndLeavesNothing() {
        assertThatThrownBy(() -> BuildContainer.create(temp.resolve("nope"), containers))
                .isInstanceOf(BuildContainerException.class).hasMessageContaining("nope")
                .hasMessageContaining("not a directory");
        assertThat(containers).doesNotExist();
    }

    @Test
    void theOverlayProbeSucceedsOnThisHostAndLeavesNothing() {
        assertThat(BuildContainer.overlayUnavailableReason(containers)).isEmpty();
        assertThat(containers).isEmptyDirectory();
    }
}
