package dev.jetpack.engine.oci;

import static dev.jetpack.engine.testing.TestTrees.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.TarEntry;
import dev.jetpack.engine.aci.TarReader;
import dev.jetpack.engine.io.HostCommand;
import dev.jetpack.engine.store.ImportOptions;
import dev.jetpack.engine.store.StoredImage;
import dev.jetpack.engine.testing.TestImages;
import dev.jetpack.engine.testing.TestTrees;
import dev.jetpack.engine.testing.RecordingLog;
import dev.jetpack.engine.testing.TreeSnapshot;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export to an OCI layout, checked by the real OCI tools of this host: {@code oci-image-tool validate} (digests,
 * sizes, schema), {@code umoci unpack} (the layers applied give exactly the stored rendered tree), and
 * {@code skopeo} (copy to a docker archive, inspect).
 */
class OciExportTest {
    private static final JsonMapper JSON = new JsonMapper();

    @TempDir
    static Path temp;

    private static final RecordingLog log = new RecordingLog();
    private static OciTestImages images;
    private static OciExporter exporter;

    @BeforeAll
    static void storeWithAChainOfImages() throws IOException {
        images = new OciTestImages(temp.resolve("images"), log);
        exporter = new OciExporter(images.store, log, ProgressListener.NONE);
    }

    @Test
    void aFlatImageIsOneLayerThatUnpacksToItsRootfs() throws Exception {
        Path layout = temp.resolve("flat-layout");
        ExportedOciImage exported = export(images.base, layout);

        assertThat(exported.layers()).hasSize(1);
        assertThat(exported.reference()).isEqualTo(new OciReference("example.com/base", "1.0"));
        validate(layout, "1.0");
        assertThat(unpack(layout, "1.0", "flat-bundle")).isEqualTo(snapshot(images.base.rootfs()));
    }

    @Test
    void ownersModesDevicesFifosXattrsHardLinksAndLongNamesSurviveTheLayer() throws Exception {
        TestImages acis = new TestImages(Files.createDirectories(temp.resolve("rich-acis")));
        StoredImage rich = images.store.importAci(acis.write(TestImages.manifest("example.com/rich", "os", "linux"),
                rootfs -> TestTrees.createRichTree(rootfs, false)).file(), ImportOptions.defaults());
        Path layout = temp.resolve("rich-layout");
        export(rich, layout);
        validate(layout, "latest");
        Path bundle = temp.resolve("rich-bundle");
        check("umoci", "unpack", "--image", layout + ":latest", bundle.toString());

        Map<String, String> unpacked = new TreeMap<>(TreeSnapshot.ofWholeSeconds(bundle.resolve("rootfs")));
        Map<String, String> stored = new TreeMap<>(TreeSnapshot.ofWholeSeconds(rich.rootfs()));
        unpacked.remove(".");
        stored.remove(".");
        assertThat(unpacked).isEqualTo(stored);
        assertThat(Files.isSameFile(bundle.resolve("rootfs/usr/bin/tool"), bundle.resolve("rootfs/usr/bin/tool-link")))
                .isTrue();
    }

    @Test
    void aLayeredImageIsOneLayerPerImageOfItsChainAndUnpacksToItsRenderedRootfs() throws Exception {
        Path layout = temp.resolve("chain-layout");
        ExportedOciImage exported = export(images.app, layout);

        assertThat(exported.layers()).hasSize(3);
        assertThat(exported.config().rootfs().diffIds()).hasSize(3);
        validate(layout, "1.2.3");
        assertThat(unpack(layout, "1.2.3", "chain-bundle")).isEqualTo(snapshot(images.app.rootfs()));

        // The base layer is the base image; the middle one deletes by whiteouts what its pathWhitelist drops.
        OciLayout oci = OciLayout.open(layout);
        assertThat(layerNames(oci, exported.layers().get(0))).contains("etc/removed-later", "var/cache/junk/a",
                "bin/busybox").doesNotContain("usr/share/middle");
        assertThat(layerNames(oci, exported.layers().get(1))).containsExactlyInAnyOrder("etc", "etc/.wh.removed-later",
                "etc/motd", "usr", "usr/share", "usr/share/middle", "var", "var/cache", "var/cache/.wh.junk");
        assertThat(layerNames(oci, exported.layers().get(2))).containsExactly("app", "app/run.sh", "data", "opt",
                "opt/tool", "opt/tool/readme");
        assertThat(exported.config().history()).extracting(OciConfig.History::comment).containsExactly(
                "appc image " + images.base.describe(), "appc image " + images.middle.describe(),
                "appc image " + images.app.describe());
    }

    @Test
    void aSecondDependencyIsOneLayerOfItsRenderedTreeAndTheWhitelistStillApplies() throws Exception {
        TestImages acis = new TestImages(Files.createDirectories(temp.resolve("more-acis")));
        StoredImage extra = images.store.importAci(acis.write(TestImages.manifest("example.com/extra", "os", "linux"),
                rootfs -> {
                    file(rootfs, "etc/motd", "extra motd", 0644);
                    file(rootfs, "usr/share/extra", "from the second dependency", 0644);
                }).file(), ImportOptions.defaults());
        List<String> whitelist = new ArrayList<>(OciTestImages.paths(images.base.rootfs(), Set.of("/etc/removed-later")));
        whitelist.addAll(List.of("/usr/share", "/usr/share/extra", "/combo"));
        StoredImage combo = images.store.importAci(acis.write(TestImages.manifest("example.com/combo", "os", "linux")
                        .withDependencies(List.of(TestImages.dependency("example.com/base", images.base.id()),
                                TestImages.dependency("example.com/extra", extra.id())))
                        .withPathWhitelist(whitelist.stream().distinct().sorted().toList()),
                rootfs -> file(rootfs, "combo", "own", 0644)).file(), ImportOptions.defaults());

        Path layout = temp.resolve("combo-layout");
        ExportedOciImage exported = export(combo, layout);

        assertThat(exported.layers()).hasSize(3);
        OciLayout oci = OciLayout.open(layout);
        assertThat(layerNames(oci, exported.layers().get(1))).containsExactly("etc", "etc/motd", "usr", "usr/share",
                "usr/share/extra");
        assertThat(layerNames(oci, exported.layers().get(2))).containsExactly("combo", "etc", "etc/.wh.removed-later");
        validate(layout, "latest");
        assertThat(unpack(layout, "latest", "combo-bundle")).isEqualTo(snapshot(combo.rootfs()));
        assertThat(log.warnings()).noneMatch(warning -> warning.contains("as one layer"));
    }

    @Test
    void theAppMapsToTheConfigAndWhatOciLacksIsKeptAsLabelsWithAWarning() throws Exception {
        Path layout = temp.resolve("config-layout");
        ExportedOciImage exported = export(images.app, layout);
        JsonNode config = JSON.readTree(OciLayout.open(layout).readBlob(exported.manifest().config()));

        assertThat(config.get("architecture").asText()).isEqualTo("amd64");
        assertThat(config.get("os").asText()).isEqualTo("linux");
        assertThat(config.get("created").asText()).isEqualTo("2026-01-02T02:04:05Z");
        JsonNode execution = config.get("config");
        assertThat(strings(execution.get("Entrypoint"))).containsExactly("/bin/sh", "/app/run.sh");
        assertThat(execution.has("Cmd")).isFalse();
        assertThat(execution.get("User").asText()).as("the appc /path form, resolved in the tree").isEqualTo("1000:1001");
        assertThat(strings(execution.get("Env"))).containsExactly("GREETING=hello",
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "AC_APP_NAME=app");
        assertThat(execution.get("WorkingDir").asText()).isEqualTo("/app");
        assertThat(names(execution.get("ExposedPorts"))).containsExactly("8080/tcp", "8081/tcp");
        assertThat(names(execution.get("Volumes"))).containsExactly("/data");
        JsonNode labels = execution.get("Labels");
        assertThat(labels.get("org.opencontainers.image.version").asText()).isEqualTo("1.2.3");
        assertThat(labels.get("org.opencontainers.image.authors").asText()).isEqualTo("Jetpack Tests");
        assertThat(labels.get("org.opencontainers.image.url").asText()).isEqualTo("https://example.com/app");
        assertThat(labels.get("channel").asText()).isEqualTo("stable");
        assertThat(labels.get(AppcToOciConfig.NAME_LABEL).asText()).isEqualTo("example.com/app");
        assertThat(labels.get(AppcToOciConfig.IMAGE_ID_LABEL).asText()).isEqualTo(images.app.id().value());
        assertThat(labels.get(AppcToOciConfig.EVENT_HANDLERS_LABEL).asText())
                .isEqualTo("[{\"exec\":[\"/bin/true\"],\"name\":\"pre-start\"}]");
        assertThat(labels.get(AppcToOciConfig.ISOLATORS_LABEL).asText())
                .isEqualTo("[{\"name\":\"resource/memory\",\"value\":{\"limit\":\"1G\"}}]");
        assertThat(labels.get(AppcToOciConfig.SUPPLEMENTARY_GIDS_LABEL).asText()).isEqualTo("[20,30]");
        assertThat(labels.get(AppcToOciConfig.PORTS_LABEL).asText())
                .isEqualTo("[{\"count\":2,\"name\":\"http\",\"port\":8080,\"protocol\":\"tcp\",\"socketActivated\":false}]");
        assertThat(labels.get(AppcToOciConfig.MOUNT_POINTS_LABEL).asText())
                .isEqualTo("[{\"name\":\"data\",\"path\":\"/data\",\"readOnly\":true}]");
        assertThat(exported.warnings()).hasSize(5);
        assertThat(String.join("\n", log.warnings())).contains("event handlers of example.com/app",
                "isolators of example.com/app", "supplementaryGIDs of example.com/app",
                "port names of example.com/app", "mount point names of example.com/app",
                AppcToOciConfig.EVENT_HANDLERS_LABEL);
    }

    @Test
    void theSameImageGivesTheSameBytesOnEveryExport() throws Exception {
        ExportedOciImage first = export(images.app, temp.resolve("twice-1"));
        ExportedOciImage second = export(images.app, temp.resolve("twice-2"));

        assertThat(second.manifestDescriptor()).isEqualTo(first.manifestDescriptor());
        assertThat(files(temp.resolve("twice-2"))).isEqualTo(files(temp.resolve("twice-1")));
        Path archive1 = temp.resolve("twice-1.tar");
        Path archive2 = temp.resolve("twice-2.tar");
        exporter.export(images.app, OciExportOptions.builder(OciExportFormat.DOCKER_ARCHIVE, archive1).build());
        exporter.export(images.app, OciExportOptions.builder(OciExportFormat.DOCKER_ARCHIVE, archive2).build());
        assertThat(Files.readAllBytes(archive2)).isEqualTo(Files.readAllBytes(archive1));
        try (Stream<Path> left = Files.list(temp)) {
            assertThat(left.map(path -> path.getFileName().toString())).noneMatch(name -> name.contains(".tmp-"));
        }
        assertThat(workAreaEntries()).as("the staged layout is removed").isEmpty();
    }

    @Test
    void aFailedExportSaysWhereAndWhyAndLeavesNothingBehind() throws Exception {
        Path notADirectory = Files.writeString(temp.resolve("a-file"), "x");
        assertThatThrownBy(() -> exporter.export(images.app, OciExportOptions.builder(OciExportFormat.DOCKER_ARCHIVE,
                notADirectory.resolve("app.tar")).build()))
                .isInstanceOf(dev.jetpack.engine.JetpackException.class)
                .hasMessageContaining("Cannot export example.com/app:1.2.3").hasMessageContaining(notADirectory + "/app.tar");
        assertThat(workAreaEntries()).isEmpty();

        Path somethingElse = Files.createDirectories(temp.resolve("not-a-layout"));
        Files.writeString(somethingElse.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> export(images.app, somethingElse))
                .isInstanceOf(OciFormatException.class).hasMessageContaining("is not an OCI image layout");
        try (Stream<Path> left = Files.list(somethingElse)) {
            assertThat(left).containsExactly(somethingElse.resolve("notes.txt"));
        }
    }

    private static List<Path> workAreaEntries() throws IOException {
        Path work = images.store.workArea().directory();
        if (!Files.isDirectory(work)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(work)) {
            return entries.toList();
        }
    }

    @Test
    void skopeoCopiesTheLayoutToADockerArchiveAndReadsBothForms() throws Exception {
        Path layout = temp.resolve("skopeo-layout");
        ExportedOciImage exported = export(images.app, layout);
        String raw = check("skopeo", "inspect", "--raw", "oci:" + layout + ":1.2.3");
        assertThat(raw.strip()).isEqualTo(new String(OciLayout.open(layout).readBlob(exported.manifestDescriptor())));
        Path copied = temp.resolve("skopeo-copy.tar");
        check("skopeo", "copy", "oci:" + layout + ":1.2.3", "docker-archive:" + copied + ":example.com/app:1.2.3");
        assertThat(JSON.readTree(check("skopeo", "inspect", "--config", "docker-archive:" + copied))
                .get("config").get("User").asText()).isEqualTo("1000:1001");

        Path archive = temp.resolve("skopeo-ours.tar");
        ExportedOciImage ours = exporter.export(images.app,
                OciExportOptions.builder(OciExportFormat.DOCKER_ARCHIVE, archive).build());
        JsonNode inspected = JSON.readTree(check("skopeo", "inspect", "docker-archive:" + archive));
        // skopeo names a docker archive's layers by their uncompressed digests: the diff IDs.
        assertThat(strings(inspected.get("Layers"))).containsExactlyElementsOf(
                ours.config().rootfs().diffIds().stream().map(Digest::toString).toList());
        JsonNode viaOciArchive = JSON.readTree(check("skopeo", "inspect", "--config", "oci-archive:" + archive + ":1.2.3"));
        assertThat(strings(viaOciArchive.get("rootfs").get("diff_ids"))).containsExactlyElementsOf(
                ours.config().rootfs().diffIds().stream().map(Digest::toString).toList());
    }

    @Test
    void anExistingLayoutKeepsItsOtherImagesAndUncompressedLayersHaveTheDiffIdAsDigest() throws Exception {
        Path layout = temp.resolve("shared-layout");
        export(images.base, layout);
        ExportedOciImage plain = exporter.export(images.app, OciExportOptions.builder(OciExportFormat.OCI_LAYOUT, layout)
                .compression(LayerCompression.NONE).reference(OciReference.parse("127.0.0.1:5000/team/app:v1")).build());

        assertThat(OciLayout.open(layout).index().manifests()).extracting(d -> d.annotations().get(OciMediaTypes.REF_NAME))
                .containsExactly("1.0", "v1");
        assertThat(OciLayout.open(layout).find(java.util.Optional.of("v1")).annotations())
                .containsEntry(OciMediaTypes.CONTAINERD_IMAGE_NAME, "127.0.0.1:5000/team/app:v1");
        assertThat(plain.layers()).extracting(Descriptor::mediaType).containsOnly(OciMediaTypes.LAYER_TAR);
        assertThat(plain.layers()).extracting(Descriptor::digest).isEqualTo(plain.config().rootfs().diffIds());
        validate(layout, "v1");
        validate(layout, "1.0");
    }

    @Test
    void aNameOciCannotSpellIsRefusedWithTheFix() {
        assertThatThrownBy(() -> OciReference.parse("Example.com/App:1"))
                .hasMessageContaining("'App' breaks the rule");
        assertThatThrownBy(() -> OciReference.parse("app:1.0+build"))
                .hasMessageContaining("not a valid OCI tag");
        var manifest = images.base.manifest().withLabel("version", "1.0+build");
        assertThatThrownBy(() -> OciReference.defaultFor(manifest))
                .hasMessageContaining("version label '1.0+build'").hasMessageContaining("NAME:TAG");
    }

    private static ExportedOciImage export(StoredImage image, Path layout) {
        return exporter.export(image, OciExportOptions.builder(OciExportFormat.OCI_LAYOUT, layout).build());
    }

    private static void validate(Path layout, String tag) throws IOException {
        check("oci-image-tool", "validate", "--type", "image", "--ref", "name=" + tag, layout.toString());
    }

    /** The tree {@code umoci unpack} makes of the layout's image. */
    private static Map<String, String> unpack(Path layout, String tag, String bundle) throws IOException {
        Path directory = temp.resolve(bundle);
        check("umoci", "unpack", "--image", layout + ":" + tag, directory.toString());
        return snapshot(directory.resolve("rootfs"));
    }

    /** The whole tree but the root's own line (umoci makes the root directory itself) and directory times. */
    private static Map<String, String> snapshot(Path root) {
        Map<String, String> tree = new TreeMap<>(TreeSnapshot.withoutTimes(root, Set.of()));
        tree.remove(".");
        Map<String, String> times = new TreeMap<>(TreeSnapshot.ofWholeSeconds(root));
        times.keySet().removeIf(path -> Files.isDirectory(root.resolve(path), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        times.forEach((path, line) -> tree.put(path + " (with time)", line));
        return tree;
    }

    private static List<String> layerNames(OciLayout layout, Descriptor layer) throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream blob = new BufferedInputStream(layout.openBlob(layer));
             InputStream tar = Compression.detect(blob).decompress(blob)) {
            TarReader reader = new TarReader(tar);
            for (TarEntry entry = reader.next(); entry != null; entry = reader.next()) {
                names.add(entry.name());
            }
        }
        return names;
    }

    private static Map<String, String> files(Path root) throws IOException {
        Map<String, String> contents = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.filter(Files::isRegularFile).toList()) {
                contents.put(root.relativize(path).toString(), Digest.sha256(Files.readAllBytes(path)).toString());
            }
        }
        return contents;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array != null) {
            array.forEach(value -> values.add(value.asText()));
        }
        return values;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static String check(String... command) throws IOException {
        return HostCommand.check(List.of(command)).output();
    }
}
