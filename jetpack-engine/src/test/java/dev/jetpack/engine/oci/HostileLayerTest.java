package dev.jetpack.engine.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.jetpack.engine.testing.TestTars.compress;
import static dev.jetpack.engine.testing.TestTars.device;
import static dev.jetpack.engine.testing.TestTars.dir;
import static dev.jetpack.engine.testing.TestTars.file;
import static dev.jetpack.engine.testing.TestTars.link;
import static dev.jetpack.engine.testing.TestTars.tar;

import dev.jetpack.engine.aci.AciFormatException;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.DevicePolicy;
import dev.jetpack.engine.aci.ReaderOptions;
import dev.jetpack.engine.fetch.FetchOptions;
import dev.jetpack.engine.fetch.ImageFetcher;
import dev.jetpack.engine.store.ImageStore;
import dev.jetpack.engine.testing.RecordingLog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-made hostile layers: the ACI corpus rules (traversal, absolute names, symlink escapes, hard links outside,
 * devices by policy, expansion limits) and whiteout tricks. Each is refused naming the entry, and nothing outside
 * the tree is touched; through the importer, nothing is stored.
 */
class HostileLayerTest {
    @TempDir
    Path tmp;
    Path outside;
    Path tree;

    @BeforeEach
    void setUp() throws IOException {
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("victim"), "precious");
        tree = Files.createDirectories(tmp.resolve("work/tree"));
    }

    private LayerApplier applier(ReaderOptions options) {
        return new LayerApplier(tree, options);
    }

    private void apply(LayerApplier applier, byte[] layer) throws IOException {
        applier.apply(new ByteArrayInputStream(layer));
    }

    private void assertRefused(List<byte[]> layers, ReaderOptions options, String... messageParts)
            throws IOException {
        LayerApplier applier = applier(options);
        for (int i = 0; i < layers.size() - 1; i++) {
            apply(applier, layers.get(i));
        }
        assertThatThrownBy(() -> apply(applier, layers.get(layers.size() - 1)))
                .isInstanceOf(AciFormatException.class)
                .hasMessageContainingAll(messageParts);
        assertOutsideUntouched();
    }

    private void assertRefused(byte[] layer, String... messageParts) throws IOException {
        assertRefused(List.of(layer), ReaderOptions.untrusted(), messageParts);
    }

    private void assertOutsideUntouched() throws IOException {
        try (var children = Files.list(outside)) {
            assertThat(children.map(p -> p.getFileName().toString()).toList()).containsExactly("victim");
        }
        assertThat(outside.resolve("victim")).hasContent("precious");
        assertThat(tmp.resolve("work/evil")).doesNotExist();
        assertThat(tmp.resolve("evil")).doesNotExist();
    }

    @Test
    void pathTraversalAndAbsoluteNames() throws IOException {
        assertRefused(tar(t -> file(t, "../evil", "x")), "../evil", "..");
        assertRefused(tar(t -> file(t, "a/../../evil", "x")), "a/../../evil", "..");
        assertRefused(tar(t -> file(t, outside + "/pwned", "x")), "absolute");
        assertRefused(tar(t -> file(t, "/" + "x".repeat(120), "x")), "absolute"); // in a pax path record
    }

    @Test
    void nothingIsWrittenThroughASymlinkOfALowerLayer() throws IOException {
        byte[] lower = tar(t -> {
            link(t, "escape", TarConstants.LF_SYMLINK, outside.toString());
            link(t, "relative", TarConstants.LF_SYMLINK, "../../outside");
        });
        assertRefused(List.of(lower, tar(t -> file(t, "escape/pwned", "x"))), ReaderOptions.untrusted(),
                "escape/pwned", "symbolic link");
        assertRefused(List.of(tar(t -> file(t, "relative/victim", "x"))), ReaderOptions.untrusted(),
                "relative/victim", "symbolic link");
        // in the same layer too
        assertRefused(tar(t -> {
            link(t, "same", TarConstants.LF_SYMLINK, outside.toString());
            file(t, "same/pwned", "x");
        }), "same/pwned", "symbolic link");
    }

    @Test
    void hardLinksOutsideTheImageAreRefused() throws IOException {
        assertRefused(tar(t -> link(t, "hl", TarConstants.LF_LINK, "../../outside/victim")), "hl", "..");
        assertRefused(tar(t -> link(t, "hl", TarConstants.LF_LINK, outside + "/victim")), "hl", "absolute");
        assertRefused(tar(t -> link(t, "hl", TarConstants.LF_LINK, "missing")), "hl", "not in the image");
        assertRefused(tar(t -> {
            link(t, "escape", TarConstants.LF_SYMLINK, outside.toString());
            link(t, "hl", TarConstants.LF_LINK, "escape/victim");
        }), "hl", "symbolic link");
        assertRefused(tar(t -> {
            dir(t, "d/");
            link(t, "hl", TarConstants.LF_LINK, "d");
        }), "hl", "directory");
        assertRefused(tar(t -> {
            file(t, "self", "x");
            link(t, "./self", TarConstants.LF_LINK, "self");
        }), "named twice");
        LayerApplier applier = applier(ReaderOptions.untrusted());
        apply(applier, tar(t -> file(t, "lower-self", "x")));
        assertThatThrownBy(() -> apply(applier, tar(t -> link(t, "lower-self", TarConstants.LF_LINK, "lower-self"))))
                .isInstanceOf(AciFormatException.class).hasMessageContaining("hard link to itself");
        assertThat(tree.resolve("lower-self")).hasContent("x");
    }

    @Test
    void hardLinkToAFileOfALowerLayerWorks() throws IOException {
        LayerApplier applier = applier(ReaderOptions.untrusted());
        apply(applier, tar(t -> file(t, "bin/tool", "tool")));
        apply(applier, tar(t -> link(t, "bin/alias", TarConstants.LF_LINK, "bin/tool")));
        assertThat(Files.isSameFile(tree.resolve("bin/tool"), tree.resolve("bin/alias"))).isTrue();
    }

    @Test
    void devicesFollowTheDevicePolicy() throws IOException {
        assertRefused(tar(t -> device(t, "disk", TarConstants.LF_BLK, 8, 0)), "disk", "device policy standard");
        assertRefused(tar(t -> device(t, "mem", TarConstants.LF_CHR, 1, 1)), "mem", "device policy standard");
        assertRefused(List.of(tar(t -> device(t, "null", TarConstants.LF_CHR, 1, 3))),
                ReaderOptions.builder().devices(DevicePolicy.NONE).build(), "null", "device policy none");
        apply(applier(ReaderOptions.untrusted()), tar(t -> device(t, "dev/null", TarConstants.LF_CHR, 1, 3)));
        assertThat(Files.getAttribute(tree.resolve("dev/null"), "unix:rdev")).isEqualTo(259L);
    }

    @Test
    void expansionLimitsCountAllLayers() throws IOException {
        ReaderOptions small = ReaderOptions.untrusted().toBuilder().maxUncompressedBytes(64 * 1024).build();
        byte[] big = tar(t -> file(t, "big", "x".repeat(100 * 1024)));
        assertThatThrownBy(() -> apply(applier(small), big)).isInstanceOf(AciFormatException.class)
                .hasMessageContaining("big");
        // two layers of 40 KiB each: each fits, together they do not
        LayerApplier applier = applier(small);
        apply(applier, tar(t -> file(t, "one", "x".repeat(40 * 1024))));
        assertThatThrownBy(() -> apply(applier, tar(t -> file(t, "two", "x".repeat(40 * 1024)))))
                .isInstanceOf(AciFormatException.class).hasMessageContaining("expands to more than");
        // a gzip bomb: ratio limit
        ReaderOptions ratio = ReaderOptions.untrusted().toBuilder().maxExpansionRatio(10).ratioGraceBytes(1024)
                .build();
        byte[] bomb = compress(tar(t -> file(t, "zeros", "\0".repeat(1024 * 1024))), Compression.GZIP);
        assertThatThrownBy(() -> apply(applier(ratio), bomb)).isInstanceOf(AciFormatException.class)
                .hasMessageContaining("decompression bomb");
    }

    @Test
    void whiteoutTricksAreRefused() throws IOException {
        assertRefused(tar(t -> file(t, "etc/.wh.", "")), "etc/.wh.", "names nothing");
        assertRefused(tar(t -> file(t, ".wh.", "")), ".wh.", "names nothing");
        assertRefused(tar(t -> file(t, "etc/.wh...", "")), "etc/.wh...", "'..'");
        assertRefused(tar(t -> file(t, "etc/.wh..", "")), "'.'");
        assertRefused(tar(t -> file(t, "../.wh.outside", "")), "..");
        assertRefused(tar(t -> file(t, "a/../../.wh.outside", "")), "..");
    }

    @Test
    void whiteoutsThroughASymlinkAreRefused() throws IOException {
        byte[] lower = tar(t -> link(t, "escape", TarConstants.LF_SYMLINK, outside.toString()));
        assertRefused(List.of(lower, tar(t -> file(t, "escape/.wh.victim", ""))), ReaderOptions.untrusted(),
                "escape/.wh.victim", "symbolic link");
        assertRefused(List.of(tar(t -> file(t, "escape/.wh..wh..opq", ""))), ReaderOptions.untrusted(),
                "escape/.wh..wh..opq", "symbolic link");
    }

    @Test
    void aWhiteoutOfASymlinkRemovesTheLinkNotItsTarget() throws IOException {
        LayerApplier applier = applier(ReaderOptions.untrusted());
        apply(applier, tar(t -> link(t, "escape", TarConstants.LF_SYMLINK, outside.toString())));
        apply(applier, tar(t -> file(t, ".wh.escape", "")));
        assertThat(tree.resolve("escape")).doesNotExist();
        assertOutsideUntouched();
    }

    @Test
    void opaqueWhiteoutAtTheRootHidesEveryLowerEntryAndNothingElse() throws IOException {
        LayerApplier applier = applier(ReaderOptions.untrusted());
        apply(applier, tar(t -> {
            file(t, "etc/passwd", "root");
            link(t, "escape", TarConstants.LF_SYMLINK, outside.toString());
            file(t, "top", "old");
        }));
        apply(applier, tar(t -> {
            file(t, "new", "new");
            file(t, ".wh..wh..opq", "");
            file(t, "etc/fresh", "fresh");
        }));
        try (var children = Files.list(tree)) {
            assertThat(children.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("etc", "new");
        }
        try (var children = Files.list(tree.resolve("etc"))) {
            assertThat(children.map(p -> p.getFileName().toString()).toList()).containsExactly("fresh");
        }
        assertThat(tree).isDirectory();
        assertOutsideUntouched();
    }

    @Test
    void aWhiteoutAndAnEntryOfTheSamePathOrDuplicatesAreRefused() throws IOException {
        assertRefused(tar(t -> {
            file(t, "etc/.wh.conf", "");
            file(t, "etc/conf", "x");
        }), "etc/conf", "named twice");
        assertRefused(tar(t -> {
            file(t, "etc/conf", "x");
            file(t, "etc/.wh.conf", "");
        }), "etc/.wh.conf", "named twice");
        assertRefused(tar(t -> {
            file(t, "etc/conf", "x");
            file(t, "etc/conf", "y");
        }), "etc/conf", "named twice");
        assertRefused(tar(t -> {
            file(t, "etc/conf", "x");
            file(t, "./etc/conf", "y");
        }), "./etc/conf", "named twice");
        assertRefused(tar(t -> {
            file(t, "d/inner", "x");
            file(t, "d", "now a file");
        }), "'d' is already a directory");
        assertRefused(tar(t -> {
            file(t, "w/inner/kept", "x");
            file(t, "w/.wh.inner", "");
        }), "w/.wh.inner", "holds earlier entries of this layer");
    }

    @Test
    void aReplacedPathIsUnlinkedFirstAndDirectoriesMerge() throws IOException {
        LayerApplier applier = applier(ReaderOptions.untrusted());
        apply(applier, tar(t -> {
            dir(t, "d/");
            file(t, "d/lower", "lower");
            link(t, "f", TarConstants.LF_SYMLINK, outside + "/victim");
            dir(t, "x/");
            file(t, "x/inner", "inner");
        }));
        apply(applier, tar(t -> {
            dir(t, "d/");
            file(t, "d/upper", "upper");
            file(t, "f", "replaces the link, not its target");
            file(t, "x", "a file over a directory");
        }));
        assertThat(tree.resolve("d/lower")).hasContent("lower");
        assertThat(tree.resolve("d/upper")).hasContent("upper");
        assertThat(Files.isSymbolicLink(tree.resolve("f"))).isFalse();
        assertThat(tree.resolve("f")).hasContent("replaces the link, not its target");
        assertThat(tree.resolve("x")).isRegularFile();
        assertOutsideUntouched();
    }

    @Test
    void theImporterChecksDiffIdsRefusesZstdAndStoresNothing() throws IOException {
        RecordingLog log = new RecordingLog();
        ImageStore store = ImageStore.open(tmp.resolve("store"), log);
        byte[] layer = tar(t -> file(t, "hello", "hello"));
        Path wrongDiffId = layout("wrong", layer, OciMediaTypes.LAYER_TAR, Digest.sha256("other".getBytes()));
        assertThatThrownBy(() -> new ImageFetcher(store, log).fetch("oci:" + wrongDiffId + ":1",
                FetchOptions.defaults())).isInstanceOf(OciFormatException.class)
                .hasMessageContainingAll("layer 1", "diff_ids[0]");
        Path zstd = layout("zstd", layer, OciMediaTypes.LAYER_ZSTD, Digest.sha256(layer));
        assertThatThrownBy(() -> new ImageFetcher(store, log).fetch("oci:" + zstd + ":1", FetchOptions.defaults()))
                .isInstanceOf(OciFormatException.class).hasMessageContainingAll("zstd", "gzip");
        Path hostile = layout("hostile", tar(t -> file(t, "../evil", "x")), OciMediaTypes.LAYER_TAR,
                Digest.sha256(tar(t -> file(t, "../evil", "x"))));
        assertThatThrownBy(() -> new ImageFetcher(store, log).fetch("oci:" + hostile + ":1",
                FetchOptions.defaults())).isInstanceOf(OciFormatException.class)
                .hasMessageContainingAll("layer 1", "../evil");
        assertThat(store.list()).isEmpty();
        try (var left = Files.list(store.workArea().directory())) {
            assertThat(left.toList()).isEmpty();
        }

        byte[] gzipped = compress(layer, Compression.GZIP);
        byte[] cut = java.util.Arrays.copyOf(gzipped, gzipped.length / 2);
        Path truncated = layout("truncated", cut, OciMediaTypes.LAYER_GZIP, Digest.sha256(layer));
        assertThatThrownBy(() -> new ImageFetcher(store, log).fetch("oci:" + truncated + ":1",
                FetchOptions.defaults())).hasMessageContaining("layer 1");
        assertThat(store.list()).isEmpty();

        // gzip layers are read too, and their diff ID is that of the uncompressed tar
        Path gzip = layout("gzip", compress(layer, Compression.GZIP), OciMediaTypes.LAYER_GZIP, Digest.sha256(layer));
        assertThat(new ImageFetcher(store, log).fetch("oci:" + gzip + ":1", FetchOptions.defaults()).rootfs()
                .resolve("hello")).hasContent("hello");
    }

    /** A one-layer OCI layout tagged 1 whose config claims {@code diffId}. */
    private Path layout(String name, byte[] blob, String mediaType, Digest diffId) throws IOException {
        Path directory = tmp.resolve(name);
        OciLayout layout = OciLayout.createOrOpen(directory);
        Descriptor layer = layout.putBlob(mediaType, blob);
        OciConfig config = new OciConfig(null, null, "amd64", "linux", null, null,
                OciConfig.RootFs.of(List.of(diffId)), List.of());
        Descriptor configBlob = layout.putBlob(OciMediaTypes.CONFIG, OciJson.write(config));
        Descriptor manifest = layout.putBlob(OciMediaTypes.MANIFEST,
                OciJson.write(OciManifest.of(configBlob, List.of(layer))));
        layout.tag(manifest, "1", Optional.empty());
        return directory;
    }
}
