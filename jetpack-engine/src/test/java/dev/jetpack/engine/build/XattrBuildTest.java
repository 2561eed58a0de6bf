package dev.jetpack.engine.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.JetpackSettings;
import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.aci.AciWriter;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.WriterOptions;
import dev.jetpack.engine.base.HostRootfs;
import dev.jetpack.engine.build.stage.StageCacheOptions;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.ManifestCodec;
import dev.jetpack.engine.runtime.ContainerRuntime;
import dev.jetpack.engine.runtime.RuntimeChoice;
import dev.jetpack.engine.runtime.Runtimes;
import dev.jetpack.engine.store.ImportOptions;
import dev.jetpack.engine.store.StoredImage;
import dev.jetpack.engine.testing.RecordingLog;
import dev.jetpack.engine.testing.TestTrees;
import dev.jetpack.engine.testing.XattrTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Builds on a parent whose {@code /bin/ping} has {@code cap_net_raw} (set with setcap) and whose {@code /srv/shared}
 * has a default ACL (and {@code /} an ACL): with every usable runtime, flat and layered, the built image keeps the parent's attributes,
 * a build step's own {@code setcap} (the build containers hold CAP_SETFCAP) reaches the image, and overlayfs' own
 * attributes ({@code user.overlay.origin} of a copied-up file, {@code user.overlay.opaque} of a re-created
 * directory) never do. Compared as getfattr and getcap see the trees, and GNU tar the archives.
 */
class XattrBuildTest {
    /** Copies ping up (touch), adds a file with a capability of its own, re-creates a directory (opaque). */
    private static final String STEP = String.join(" && ",
            "touch /bin/ping2",
            "printf '#!/bin/sh\\n' > /bin/server && chmod 755 /bin/server",
            "setcap cap_net_bind_service+ep /bin/server",
            "rm -r /srv/old && mkdir /srv/old && echo new > /srv/old/file",
            "printf '{\"name\":\"example.com/xattr-child\"}' > manifest.json");

    @TempDir
    Path tmp;

    private final RecordingLog log = new RecordingLog();

    static Stream<String> usableRuntimes() {
        List<String> names = Runtimes.usable().stream().map(ContainerRuntime::name).toList();
        assertThat(names).as("usable container runtimes").contains("runc", "chroot");
        return names.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usableRuntimes")
    void flatAndLayeredImagesKeepTheParentsCapabilitiesAndTheStepsOwn(String runtime) throws IOException {
        Jetpack jetpack = jetpack(RuntimeChoice.parse(runtime));
        StoredImage parent = parent(jetpack);
        Map<String, String> parentAttributes = XattrTools.getfattrTree(parent.rootfs());
        assertThat(parentAttributes).containsKeys(".", "bin/ping", "bin/ping2", "srv/shared");

        for (OutputForm form : OutputForm.values()) {
            Path output = tmp.resolve(runtime + "-" + form + ".aci");
            ImageBuild build = jetpack.buildImage(ImageBuildSpec.derivative(parent)
                    .command(List.of("/bin/sh", "-c", STEP))
                    .outputForm(form)
                    .output(output)
                    .compression(Compression.NONE)
                    .build());

            Path rootfs = build.stored().orElseThrow().rootfs();
            String what = runtime + ", " + form;
            assertThat(XattrTools.getcap(rootfs.resolve("bin/ping"))).as(what).endsWith("cap_net_raw=ep");
            assertThat(XattrTools.getcap(rootfs.resolve("bin/ping2"))).as(what + ", copied up")
                    .endsWith("cap_net_raw=ep");
            assertThat(XattrTools.getcap(rootfs.resolve("bin/server"))).as(what + ", set by the step")
                    .endsWith("cap_net_bind_service=ep");
            Map<String, String> built = XattrTools.getfattrTree(rootfs);
            assertThat(built).as(what).containsAllEntriesOf(parentAttributes)
                    .containsOnlyKeys(".", "bin/ping", "bin/ping2", "bin/server", "srv/shared");
            assertThat(XattrTools.getfacl(rootfs.resolve("srv/shared"))).contains("default:group:99:r-x");
            assertThat(AciEntries.of(output)).as("overlay attributes in the " + what + " ACI")
                    .noneMatch(e -> e.paxHeaders().keySet().stream().anyMatch(key -> key.contains("overlay")));
            Path byGnuTar = Files.createDirectories(tmp.resolve(runtime + "-" + form + "-gnu"));
            TestTrees.run("tar", "--xattrs", "--xattrs-include=*", "--numeric-owner", "-xpf", output.toString(),
                    "-C", byGnuTar.toString());
            assertThat(XattrTools.getcap(byGnuTar.resolve("rootfs/bin/server"))).as(what + ", GNU tar")
                    .endsWith("cap_net_bind_service=ep");
            if (form == OutputForm.FLAT) {
                assertThat(XattrTools.getfattrTree(byGnuTar.resolve("rootfs"))).as(what + ", GNU tar")
                        .isEqualTo(built);
            } else {
                assertThat(XattrTools.getfattrTree(byGnuTar.resolve("rootfs"))).as(what + ": only the change")
                        .containsOnlyKeys(".", "bin/ping2", "bin/server");
            }
        }
        assertThat(log.warnings()).noneMatch(line -> line.contains("extended attribute"));
    }

    /** Stages are overlay upper dirs kept in the cache and stacked as lower layers: their attributes too. */
    @Test
    void cachedStagesKeepCapabilities() throws IOException {
        Jetpack jetpack = jetpack(RuntimeChoice.CHROOT);
        StoredImage parent = parent(jetpack);
        ImageBuildSpec.Builder spec = ImageBuildSpec.derivative(parent)
                .buildScript(BuildScript.of(List.of(), List.of(STEP.replace(" && printf", " ; printf"),
                        "touch /bin/server /bin/ping && echo second > /second")))
                .manifest("{\"name\":\"example.com/xattr-staged\"}", "given by the test")
                .fixedTimestamp(Optional.of(java.time.Instant.parse("2026-01-01T00:00:00Z")))
                .compression(Compression.NONE)
                .stageCache(StageCacheOptions.defaults());

        StoredImage first = jetpack.buildImage(spec.output(tmp.resolve("first.aci")).build()).stored().orElseThrow();
        StoredImage second = jetpack.buildImage(spec.output(tmp.resolve("second.aci")).build()).stored().orElseThrow();

        assertThat(log.messages()).anyMatch(line -> line.toLowerCase(java.util.Locale.ROOT).contains("stage cache"));
        assertThat(second.id()).isEqualTo(first.id());
        for (StoredImage image : List.of(first, second)) {
            assertThat(XattrTools.getcap(image.rootfs().resolve("bin/server"))).endsWith("cap_net_bind_service=ep");
            assertThat(XattrTools.getcap(image.rootfs().resolve("bin/ping"))).endsWith("cap_net_raw=ep");
            assertThat(XattrTools.getfattrTree(image.rootfs()))
                    .containsOnlyKeys(".", "bin/ping", "bin/ping2", "bin/server", "srv/shared");
        }
        assertThat(AciEntries.of(tmp.resolve("second.aci")))
                .noneMatch(e -> e.paxHeaders().keySet().stream().anyMatch(key -> key.contains("overlay")));
    }

    private StoredImage parent(Jetpack jetpack) throws IOException {
        Path rootfs = tmp.resolve("parent-rootfs");
        if (!Files.exists(rootfs)) {
            HostRootfs.create(rootfs, List.of("sh", "setcap", "touch", "chmod", "mkdir", "rm", "printf"));
            Path ping = TestTrees.file(rootfs, "bin/ping", "#!/bin/sh\n", 0755);
            TestTrees.run("setcap", "cap_net_raw+ep", ping.toString());
            Path ping2 = TestTrees.file(rootfs, "bin/ping2", "#!/bin/sh\n", 0755);
            TestTrees.run("setcap", "cap_net_raw+ep", ping2.toString());
            Path shared = TestTrees.directory(rootfs, "srv/shared", 0775);
            TestTrees.run("setfacl", "-d", "-m", "g:99:rx", shared.toString());
            TestTrees.file(rootfs, "srv/old/file", "old\n", 0644);
            TestTrees.run("setfacl", "-m", "u:1234:rx", rootfs.toString()); // an overlay shows the upper dir's root
        }
        Path aci = tmp.resolve("parent.aci");
        AciWriter.write(ManifestCodec.write(ImageManifest.named("example.com/xattr-parent").withLabel("os", "linux")
                .withLabel("arch", "amd64"), false), rootfs, aci,
                WriterOptions.builder().compression(Compression.NONE).build());
        return jetpack.store().importAci(aci, ImportOptions.defaults());
    }

    private Jetpack jetpack(RuntimeChoice runtime) {
        return new Jetpack(JetpackSettings.builder().storeLocation(tmp.resolve("store-" + runtime)).runtime(runtime)
                .compression(Compression.NONE).build(), log, ProgressListener.NONE);
    }
}
