package dev.jetpack.engine.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.JetpackSettings;
import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.aci.AciWriter;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.WriterOptions;
import dev.jetpack.engine.base.HostRootfs;
import dev.jetpack.engine.build.ImageBuild;
import dev.jetpack.engine.build.ImageBuildSpec;
import dev.jetpack.engine.fetch.FetchOptions;
import dev.jetpack.engine.fetch.FetchPolicy;
import dev.jetpack.engine.fetch.discovery.HostPlatform;
import dev.jetpack.engine.fetch.http.HttpSettings;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.ManifestCodec;
import dev.jetpack.engine.oci.registry.PushOptions;
import dev.jetpack.engine.oci.registry.RegistryOptions;
import dev.jetpack.engine.oci.registry.RegistryReference;
import dev.jetpack.engine.runtime.RuntimeChoice;
import dev.jetpack.engine.store.ImageNotFoundException;
import dev.jetpack.engine.store.StoredImage;
import dev.jetpack.engine.testing.RecordingLog;
import dev.jetpack.engine.testing.TestRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The round trip of the "done when", in the engine: an image built by jetpack (a derivative that deletes
 * a directory of its parent) is pushed to a real docker-registry on 127.0.0.1, pulled back in another store with
 * {@code docker://}, and used as the parent of another build, which sees the pushed build's files and not the
 * deleted ones. The pulled reference is not pulled twice, and offline only the store answers.
 */
class RegistryParentTest {
    @TempDir
    Path temp;
    TestRegistry registry;
    RecordingLog log = new RecordingLog();

    @BeforeEach
    void startRegistry() {
        registry = TestRegistry.in(temp.resolve("registry")).start();
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    private Jetpack jetpack(String store) {
        return new Jetpack(JetpackSettings.builder().storeLocation(temp.resolve(store)).runtime(RuntimeChoice.RUNC)
                .compression(Compression.GZIP).build(), log, ProgressListener.NONE);
    }

    private static HttpSettings plainHttp() {
        return HttpSettings.builder().allowPlainHttp(true).build();
    }

    @Test
    void aPushedBuildIsTheParentOfAnotherBuildOncePulledBack() throws IOException {
        Jetpack builder = jetpack("builder-store");
        StoredImage base = builder.importImage(baseAci().toString(), Optional.empty(), Optional.empty(),
                FetchOptions.defaults());
        ImageBuild built = builder.buildImage(ImageBuildSpec.derivative(base).command(List.of("/bin/sh", "-c",
                "rm -r /old && echo built > /built.txt && printf '{\"name\":\"example.com/app\"}' > manifest.json"))
                .build());
        RegistryReference target = RegistryReference.parse(registry.address() + "/team/app:1.0");
        builder.push(built.id().value(), target, PushOptions.builder()
                .registry(RegistryOptions.builder().http(plainHttp()).build()).build());

        Jetpack consumer = jetpack("consumer-store");
        FetchOptions pull = FetchOptions.builder().http(plainHttp()).build();
        String reference = "docker://" + registry.address() + "/team/app:1.0";
        StoredImage parent = consumer.fetch(reference, pull);
        assertThat(parent.rootfs().resolve("built.txt")).hasContent("built");
        assertThat(parent.rootfs().resolve("old")).doesNotExist();
        assertThat(parent.rootfs().resolve("bin/sh")).exists();
        assertThat(parent.name()).isEqualTo("127.0.0.1-" + registry.port() + "/team/app");
        assertThat(parent.label("version")).contains("1.0");
        assertThat(parent.label("arch")).contains(HostPlatform.arch());

        ImageBuild child = consumer.buildImage(ImageBuildSpec.derivative(parent).command(List.of("/bin/sh", "-c",
                "cat /built.txt > /seen.txt && printf '{\"name\":\"example.com/child\"}' > manifest.json")).build());
        StoredImage stored = consumer.find(child.id().value());
        assertThat(stored.rootfs().resolve("seen.txt")).hasContent("built");
        assertThat(stored.rootfs().resolve("built.txt")).hasContent("built");
        assertThat(stored.rootfs().resolve("old")).doesNotExist();

        // Not pulled twice: the reference is answered from the store; a refresh resolves the tag but applies
        // no layer for a config it knows.
        assertThat(consumer.fetch(reference, pull).id()).isEqualTo(parent.id());
        assertThat(log.messages()).anyMatch(m -> m.contains(reference.substring("docker://".length()))
                && m.contains("not pulled again"));
        assertThat(consumer.fetch(reference, pull.toBuilder().policy(FetchPolicy.REFRESH).build()).id())
                .isEqualTo(parent.id());
        assertThat(log.messages()).anyMatch(m -> m.contains("its layers are not applied again"));
        registry.stop();
        assertThat(consumer.fetch(reference, pull.toBuilder().offline(true).build()).id()).isEqualTo(parent.id());
        assertThatThrownBy(() -> jetpack("empty-store").fetch(reference, pull.toBuilder().offline(true).build()))
                .isInstanceOf(ImageNotFoundException.class).hasMessageContaining("offline");
    }

    /** A parent with the host's shell and tools, and a directory the build deletes. */
    private Path baseAci() throws IOException {
        Path rootfs = temp.resolve("base-rootfs");
        HostRootfs.create(rootfs, HostRootfs.DEFAULT_COMMANDS);
        Files.createDirectories(rootfs.resolve("old"));
        Files.writeString(rootfs.resolve("old/file"), "old\n");
        Path aci = temp.resolve("base.aci");
        ImageManifest manifest = ImageManifest.named("example.com/base").withLabel("version", "1.0")
                .withLabel("os", "linux").withLabel("arch", HostPlatform.arch());
        AciWriter.write(ManifestCodec.write(manifest, false), rootfs, aci,
                WriterOptions.builder().compression(Compression.NONE).build());
        return aci;
    }
}
