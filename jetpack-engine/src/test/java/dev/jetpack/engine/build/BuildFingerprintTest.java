package dev.jetpack.engine.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildFingerprintTest {
    @TempDir
    Path dir;
    Path tree;

    @BeforeEach
    void tree() throws Exception {
        tree = dir.resolve("tree");
        Files.createDirectories(tree.resolve("sub"));
        Files.writeString(tree.resolve("a.txt"), "a");
        Files.writeString(tree.resolve("sub/b.txt"), "b");
        Files.createSymbolicLink(tree.resolve("link"), Path.of("a.txt"));
    }

    private BuildFingerprint of(String config) throws Exception {
        return BuildFingerprint.builder().value("configuration", config).tree("build directory", tree).build();
    }

    @Test
    void sameInputsSameFingerprintAndItSurvivesTheFile() throws Exception {
        BuildFingerprint first = of("x");
        assertThat(of("x")).isEqualTo(first);
        first.write(dir.resolve("fp"));
        assertThat(BuildFingerprint.read(dir.resolve("fp"))).contains(first);
        assertThat(of("x").differencesFrom(BuildFingerprint.read(dir.resolve("fp")).orElseThrow())).isEmpty();
    }

    @Test
    void eachKindOfChangeIsNamed() throws Exception {
        BuildFingerprint before = of("x");
        assertThat(of("y").differencesFrom(before)).containsExactly("configuration");

        Files.writeString(tree.resolve("sub/b.txt"), "bb");
        assertThat(of("x").differencesFrom(before)).containsExactly("build directory");

        BuildFingerprint sized = of("x");
        Files.setLastModifiedTime(tree.resolve("a.txt"), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        assertThat(of("x").differencesFrom(sized)).as("time").containsExactly("build directory");

        BuildFingerprint timed = of("x");
        Files.setPosixFilePermissions(tree.resolve("a.txt"), PosixFilePermissions.fromString("rwx------"));
        assertThat(of("x").differencesFrom(timed)).as("mode").containsExactly("build directory");

        BuildFingerprint moded = of("x");
        Files.delete(tree.resolve("link"));
        Files.createSymbolicLink(tree.resolve("link"), Path.of("sub/b.txt"));
        assertThat(of("x").differencesFrom(moded)).as("link target").containsExactly("build directory");

        BuildFingerprint linked = of("x");
        Files.writeString(tree.resolve("new"), "");
        assertThat(of("x").differencesFrom(linked)).as("new file").containsExactly("build directory");

        // The bits the POSIX permission view leaves out, and the numeric owner (no name lookup per entry).
        BuildFingerprint added = of("x");
        Files.setAttribute(tree.resolve("a.txt"), "unix:mode", 04755);
        assertThat(of("x").differencesFrom(added)).as("setuid").containsExactly("build directory");

        BuildFingerprint setuid = of("x");
        Files.setAttribute(tree.resolve("a.txt"), "unix:gid", 4242);
        assertThat(of("x").differencesFrom(setuid)).as("group by number").containsExactly("build directory");
    }

    @Test
    void theRootsOwnTimeDoesNotCountButAnAbsentTreeDoes() throws Exception {
        BuildFingerprint before = of("x");
        Files.setLastModifiedTime(tree, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        assertThat(of("x")).isEqualTo(before);
        BuildFingerprint absent = BuildFingerprint.builder().tree("t", dir.resolve("missing")).build();
        BuildFingerprint empty = BuildFingerprint.builder().tree("t", Files.createDirectory(dir.resolve("e"))).build();
        assertThat(absent).isNotEqualTo(empty);
    }

    @Test
    void addedAndRemovedComponentsAreDifferencesAndValuesAreNotKeptInClear() throws Exception {
        BuildFingerprint one = BuildFingerprint.builder().value("a", "secret-value").build();
        BuildFingerprint two = BuildFingerprint.builder().value("b", "1").values("c", List.of("x", "y")).build();
        assertThat(two.differencesFrom(one)).containsExactly("b", "c", "a");
        one.write(dir.resolve("fp"));
        assertThat(Files.readString(dir.resolve("fp"))).doesNotContain("secret-value");
        assertThat(BuildFingerprint.builder().values("c", List.of("xy")).build())
                .as("list boundaries count").isNotEqualTo(BuildFingerprint.builder().values("c", List.of("x", "y")).build());
    }

    @Test
    void excludedPathsAndEverythingBelowThemDoNotCountTheRestDoes() throws Exception {
        Set<String> excluded = Set.of("sub", "link");
        BuildFingerprint before = BuildFingerprint.builder().tree("t", tree, excluded).build();

        Files.writeString(tree.resolve("sub/b.txt"), "changed below an excluded directory");
        Files.writeString(tree.resolve("sub/new.txt"), "added there");
        Files.delete(tree.resolve("link"));
        assertThat(BuildFingerprint.builder().tree("t", tree, excluded).build()).isEqualTo(before);
        assertThat(BuildFingerprint.builder().tree("t", tree).build())
                .isNotEqualTo(BuildFingerprint.builder().tree("t", tree, excluded).build());

        Files.writeString(tree.resolve("a.txt"), "an entry that is not excluded");
        assertThat(BuildFingerprint.builder().tree("t", tree, excluded).build().differencesFrom(before))
                .containsExactly("t");
    }

    @Test
    void anUnreadableRecordIsNoRecord() throws Exception {
        assertThat(BuildFingerprint.read(dir.resolve("none"))).isEmpty();
        Files.writeString(dir.resolve("junk"), "something else\n");
        assertThat(BuildFingerprint.read(dir.resolve("junk"))).isEmpty();
    }
}
