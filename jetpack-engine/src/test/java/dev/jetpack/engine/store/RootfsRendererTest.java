package dev.jetpack.engine.store;

import static dev.jetpack.engine.testing.TestTrees.directory;
import static dev.jetpack.engine.testing.TestTrees.file;
import static dev.jetpack.engine.testing.TestTrees.symlink;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.testing.TreeSnapshot;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootfsRendererTest {
    @TempDir
    Path temp;

    @Test
    void laysDependenciesInOrderThenOwnRootfsLaterFilesWin() throws Exception {
        Path base = Files.createDirectories(temp.resolve("base"));
        file(base, "etc/os-release", "base", 0644);
        file(base, "etc/only-base", "b", 0600);
        directory(base, "tmp", 01777);
        file(base, "var/lib/thing/data", "dir in base", 0644); // becomes a file in the tools layer
        file(base, "opt", "file in base", 0644); // becomes a directory in the app layer
        symlink(base, "lib", "usr/lib");
        file(base, "usr/lib/libc.so", "libc", 0755);
        Path tools = Files.createDirectories(temp.resolve("tools"));
        file(tools, "etc/os-release", "tools", 0640);
        file(tools, "var/lib/thing", "file in tools", 0644);
        file(tools, "usr/bin/tool", "tool", 0755);
        Files.createLink(tools.resolve("usr/bin/tool-alias"), tools.resolve("usr/bin/tool"));
        Path own = Files.createDirectories(temp.resolve("own"));
        file(own, "opt/app/run", "app", 0750);
        file(own, "etc/app.conf", "conf", 0644);
        directory(own, "etc", 0711);

        Path target = temp.resolve("work/rootfs");
        Files.createDirectories(target.getParent());
        RootfsRenderer.render(List.of(base, tools), own, List.of(), target);

        Map<String, String> expected = new TreeMap<>(Map.ofEntries(
                Map.entry("etc", "d 711"),
                Map.entry("etc/os-release", "f 640 tools"),
                Map.entry("etc/only-base", "f 600 b"),
                Map.entry("etc/app.conf", "f 644 conf"),
                Map.entry("tmp", "d 1777"),
                Map.entry("var", "d 755"),
                Map.entry("var/lib", "d 755"),
                Map.entry("var/lib/thing", "f 644 file in tools"),
                Map.entry("opt", "d 755"),
                Map.entry("opt/app", "d 755"),
                Map.entry("opt/app/run", "f 750 app"),
                Map.entry("lib", "l usr/lib"),
                Map.entry("usr", "d 755"),
                Map.entry("usr/lib", "d 755"),
                Map.entry("usr/lib/libc.so", "f 755 libc"),
                Map.entry("usr/bin", "d 755"),
                Map.entry("usr/bin/tool", "f 755 tool"),
                Map.entry("usr/bin/tool-alias", "f 755 tool")));
        assertThat(TreeSnapshot.listing(target)).isEqualTo(expected);
        assertThat(Files.isSameFile(target.resolve("usr/bin/tool"), target.resolve("usr/bin/tool-alias")))
                .as("hard links survive the copy").isTrue();
        // The stored dependency trees are inputs only: untouched.
        assertThat(Files.readString(base.resolve("etc/os-release"))).isEqualTo("base");
        assertThat(Files.readString(tools.resolve("etc/os-release"))).isEqualTo("tools");
        assertThat(target.resolveSibling("rootfs.layers")).doesNotExist();
    }

    @Test
    void keepsDirectoryTimesOfTheWinningLayer() throws Exception {
        Path base = Files.createDirectories(temp.resolve("base"));
        file(base, "etc/a", "a", 0644);
        Path own = Files.createDirectories(temp.resolve("own"));
        file(own, "etc/b", "b", 0644);
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(own.resolve("etc"), old);
        Files.setLastModifiedTime(base.resolve("etc/a"), old);

        Path target = temp.resolve("rootfs");
        RootfsRenderer.render(List.of(base), own, List.of(), target);

        assertThat(Files.getLastModifiedTime(target.resolve("etc"), LinkOption.NOFOLLOW_LINKS)).isEqualTo(old);
        assertThat(Files.getLastModifiedTime(target.resolve("etc/a"), LinkOption.NOFOLLOW_LINKS)).isEqualTo(old);
    }

    @Test
    void pathWhitelistKeepsListedPathsAndTheDirectoriesLeadingToThem() throws Exception {
        Path base = Files.createDirectories(temp.resolve("base"));
        file(base, "bin/sh", "sh", 0755);
        file(base, "bin/rm", "rm", 0755);
        file(base, "etc/passwd", "root", 0644);
        file(base, "etc/deep/unlisted", "x", 0644);
        symlink(base, "lib", "usr/lib");
        file(base, "usr/lib/libc.so", "libc", 0755);
        Path own = Files.createDirectories(temp.resolve("own"));
        file(own, "app/run", "run", 0755);
        file(own, "app/junk", "junk", 0644);

        Path target = temp.resolve("rootfs");
        RootfsRenderer.render(List.of(base), own,
                List.of("/bin/sh", "/app/run", "/etc/", "/lib", "/usr/lib/libc.so", "/not/there"), target);

        assertThat(TreeSnapshot.listing(target)).isEqualTo(new TreeMap<>(Map.of(
                "bin", "d 755",
                "bin/sh", "f 755 sh",
                "app", "d 755",
                "app/run", "f 755 run",
                "etc", "d 755",
                "lib", "l usr/lib",
                "usr", "d 755",
                "usr/lib", "d 755",
                "usr/lib/libc.so", "f 755 libc")));
    }

    @Test
    void anImageWithoutDependenciesIsItsOwnRootfs() throws Exception {
        Path own = Files.createDirectories(temp.resolve("own"));
        file(own, "hello", "hi", 0600);
        Path target = temp.resolve("rootfs");
        RootfsRenderer.render(List.of(), own, List.of(), target);
        assertThat(TreeSnapshot.listing(target)).isEqualTo(Map.of("hello", "f 600 hi"));
        assertThat(own).doesNotExist();
    }

    @Test
    void aSymlinkInALowerLayerCannotRedirectUpperFilesOutOfTheTree() throws Exception {
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Path base = Files.createDirectories(temp.resolve("base"));
        symlink(base, "etc", outside.toString());
        Path own = Files.createDirectories(temp.resolve("own"));
        file(own, "etc/passwd", "mine", 0644);

        Path target = temp.resolve("rootfs");
        RootfsRenderer.render(List.of(base), own, List.of(), target);

        assertThat(outside).isEmptyDirectory();
        assertThat(TreeSnapshot.listing(target)).isEqualTo(Map.of("etc", "d 755", "etc/passwd", "f 644 mine"));
    }
}
