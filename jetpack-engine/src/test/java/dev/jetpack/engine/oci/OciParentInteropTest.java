package dev.jetpack.engine.oci;

import static dev.jetpack.engine.testing.TestTars.dir;
import static dev.jetpack.engine.testing.TestTars.file;
import static dev.jetpack.engine.testing.TestTars.tar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.JetpackSettings;
import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.fetch.FetchOptions;
import dev.jetpack.engine.fetch.ImageFetcher;
import dev.jetpack.engine.store.ImageStore;
import dev.jetpack.engine.store.StoredImage;
import dev.jetpack.engine.testing.RecordingLog;
import dev.jetpack.engine.testing.TestTars;
import dev.jetpack.engine.testing.TestTrees;
import dev.jetpack.engine.testing.TreeSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OCI parents made by the real clients (Debian's umoci and skopeo) give exactly the tree {@code umoci unpack}
 * gives: three layers, the second written by {@code umoci repack} after deletions (plain whiteouts), the third
 * hand-made with an opaque whiteout and added by {@code umoci raw add-layer}.
 */
class OciParentInteropTest {
    @TempDir
    Path tmp;
    Path layout;
    RecordingLog log = new RecordingLog();

    @BeforeEach
    void makeImage() throws IOException {
        layout = tmp.resolve("layout");
        Path bundle = tmp.resolve("bundle");
        TestTrees.run("umoci", "init", "--layout", layout.toString());
        TestTrees.run("umoci", "new", "--image", layout + ":app");
        TestTrees.run("umoci", "unpack", "--image", layout + ":app", bundle.toString());
        Path rootfs = bundle.resolve("rootfs");
        TestTrees.file(rootfs, "etc/config", "one\n", 0644);
        TestTrees.file(rootfs, "etc/gone.conf", "bye\n", 0600);
        TestTrees.file(rootfs, "bin/tool", "#!/bin/sh\n", 04755);
        Files.createLink(rootfs.resolve("bin/tool-link"), rootfs.resolve("bin/tool"));
        Files.createLink(rootfs.resolve("bin/tool-kept"), rootfs.resolve("bin/tool"));
        Files.createDirectories(rootfs.resolve("dev"));
        TestTrees.run("mknod", rootfs.resolve("dev/null").toString(), "c", "1", "3");
        TestTrees.symlink(rootfs, "bin/sh", "tool");
        TestTrees.symlink(rootfs, "abs", "/etc/config");
        TestTrees.file(rootfs, "var/cache/a", "cache a\n", 0644);
        TestTrees.file(rootfs, "var/cache/sub/b", "cache b\n", 0644);
        TestTrees.file(rootfs, "opq/lower", "lower\n", 0644);
        TestTrees.file(rootfs, "opq/keep/lower-deep", "lower deep\n", 0644);
        TestTrees.directory(rootfs, "tmp", 01777);
        TestTrees.file(rootfs, "srv/owned", "owned\n", 0640);
        TestTrees.run("chown", "-R", "1234:5678", rootfs.resolve("srv").toString());
        TestTrees.run("mkfifo", rootfs.resolve("srv/fifo").toString());
        Files.getFileAttributeView(rootfs.resolve("etc/config"), UserDefinedFileAttributeView.class)
                .write("origin", StandardCharsets.UTF_8.encode("base"));
        TestTrees.run("umoci", "repack", "--image", layout + ":app", bundle.toString());

        // Second layer: deletions become whiteouts, a changed file a new copy.
        Files.delete(rootfs.resolve("etc/gone.conf"));
        TestTrees.run("rm", "-rf", rootfs.resolve("var/cache").toString());
        Files.writeString(rootfs.resolve("etc/config"), "two\n");
        TestTrees.file(rootfs, "etc/added", "added\n", 0644);
        TestTrees.run("umoci", "repack", "--image", layout + ":app", bundle.toString());

        // Third layer: opaque whiteout of opq/ (after one of its own entries, which must survive), a whiteout
        // of a file and a new directory with new attributes over an old one.
        Path layer = tmp.resolve("layer3.tar");
        Files.write(layer, tar(out -> {
            dir(out, "opq/", 0755);
            dir(out, "opq/keep/", 0700);
            file(out, "opq/keep/new", "new deep\n", 0644);
            file(out, "opq/.wh..wh..opq", "", 0644);
            file(out, "opq/mine", "mine\n", 0644);
            file(out, "bin/.wh.tool-link", "", 0644);
            dir(out, "srv/", 0750);
        }));
        TestTrees.run("umoci", "raw", "add-layer", "--image", layout + ":app", layer.toString());
    }

    @Test
    void ociLayoutGivesTheTreeUmociUnpacks() throws IOException {
        ImageStore store = ImageStore.open(tmp.resolve("store"), log);
        StoredImage image = new ImageFetcher(store, log).fetch("oci:" + layout + ":app", FetchOptions.defaults());

        assertSameTree(image.rootfs());
        assertThat(image.rootfs().resolve("opq/lower")).doesNotExist();
        assertThat(image.rootfs().resolve("opq/keep/lower-deep")).doesNotExist();
        assertThat(image.rootfs().resolve("opq/keep/new")).hasContent("new deep");
        assertThat(image.name()).isEqualTo("layout");
        assertThat(image.label("version")).contains("app");
        assertThat(image.label("os")).contains("linux");

        // The same image again: answered from the store, no layer applied.
        StoredImage again = new ImageFetcher(store, log).fetch("oci:" + layout + ":app", FetchOptions.defaults());
        assertThat(again.id()).isEqualTo(image.id());
        assertThat(log.messages()).anyMatch(m -> m.contains("already in the store") && m.contains("not applied"));
    }

    @Test
    void theSameOciImageGetsTheSameImageIdInEveryStore() throws Exception {
        StoredImage first = new ImageFetcher(ImageStore.open(tmp.resolve("store"), log), log)
                .fetch("oci:" + layout + ":app", FetchOptions.defaults());
        Thread.sleep(1100); // an ID that took the time of the import (manifest entry, root directory) would differ
        StoredImage second = new ImageFetcher(ImageStore.open(tmp.resolve("other-store"), log), log)
                .fetch("oci:" + layout + ":app", FetchOptions.defaults());
        assertThat(second.id()).isEqualTo(first.id());
    }

    @Test
    void skopeoDockerArchiveGivesTheSameTree() throws IOException {
        Path archive = tmp.resolve("app.tar");
        TestTrees.run("skopeo", "copy", "oci:" + layout + ":app", "docker-archive:" + archive + ":team/app:1.0");
        ImageStore store = ImageStore.open(tmp.resolve("store"), log);
        StoredImage image = new ImageFetcher(store, log).fetch("docker-archive:" + archive,
                FetchOptions.defaults());

        assertSameTree(image.rootfs());
        assertThat(image.name()).isEqualTo("docker.io/team/app"); // skopeo writes the normalized name into RepoTags
        assertThat(image.label("version")).contains("1.0");

        // NAME:TAG picks an image of the archive; one it lacks is refused with the tags there are
        assertThat(new ImageFetcher(store, log).fetch("docker-archive:" + archive + ":docker.io/team/app:1.0",
                FetchOptions.defaults()).id()).isEqualTo(image.id());
        assertThatThrownBy(() -> new ImageFetcher(store, log).fetch("docker-archive:" + archive + ":other:2",
                FetchOptions.defaults()))
                .hasMessageContainingAll("no image tagged 'other:2'", "docker.io/team/app:1.0");
        // a compressed archive is named as such
        Path gzipped = tmp.resolve("app.tar.gz");
        TestTrees.run("sh", "-c", "gzip -c " + archive + " > " + gzipped);
        assertThatThrownBy(() -> new ImageFetcher(store, log).fetch("docker-archive:" + gzipped,
                FetchOptions.defaults())).hasMessageContainingAll("compressed", "gunzip");
    }

    @Test
    void jetpacksOwnDockerArchiveExportReadsBackToTheSameTree() throws IOException {
        Jetpack jetpack = new Jetpack(JetpackSettings.builder().storeLocation(tmp.resolve("store")).build(), log,
                ProgressListener.NONE);
        StoredImage image = jetpack.fetch("oci:" + layout + ":app", FetchOptions.defaults());
        Path archive = tmp.resolve("exported.tar");
        jetpack.exportOci(image.id().value(), OciExportOptions.builder(OciExportFormat.DOCKER_ARCHIVE, archive)
                .reference(OciReference.parse("example.com/exported:2.0")).build());

        Jetpack other = new Jetpack(JetpackSettings.builder().storeLocation(tmp.resolve("other-store")).build(), log,
                ProgressListener.NONE);
        StoredImage back = other.fetch("docker-archive:" + archive, FetchOptions.defaults());
        // The export's layer has no entry for the top directory, so its time is when the tree was made.
        assertSameTree(back.rootfs(), ".");
        assertThat(back.name()).isEqualTo("example.com/exported");
        assertThat(back.label("version")).contains("2.0");
    }

    /**
     * Modes, owners, links, hard links, xattrs and contents exactly as umoci unpack gives them; times too, but for
     * one directory: umoci lets the opaque whiteout's deletions change the time of opq/keep after setting it from
     * the layer's entry, where jetpack keeps the time the layer gives.
     */
    private void assertSameTree(Path rootfs, String... timesNotCompared) throws IOException {
        Path unpacked = tmp.resolve("umoci-unpacked");
        TestTrees.run("umoci", "unpack", "--image", layout + ":app", unpacked.toString());
        Path expected = unpacked.resolve("rootfs");
        assertThat(TreeSnapshot.lines(TreeSnapshot.withoutTimes(rootfs, Set.of())))
                .containsExactlyElementsOf(TreeSnapshot.lines(TreeSnapshot.withoutTimes(expected, Set.of())));
        Map<String, String> actualTimes = new TreeMap<>(TreeSnapshot.ofWholeSeconds(rootfs));
        Map<String, String> expectedTimes = new TreeMap<>(TreeSnapshot.ofWholeSeconds(expected));
        for (String path : Stream.concat(Stream.of("opq/keep"), Stream.of(timesNotCompared)).toList()) {
            actualTimes.remove(path);
            expectedTimes.remove(path);
        }
        assertThat(TreeSnapshot.lines(actualTimes)).containsExactlyElementsOf(TreeSnapshot.lines(expectedTimes));
        assertThat(Files.getLastModifiedTime(rootfs.resolve("opq/keep")).toMillis()).isEqualTo(TestTars.MTIME_MILLIS);
    }
}
