package dev.jetpack.engine.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.fetch.http.HttpSettings;
import dev.jetpack.engine.fetch.http.TlsPolicy;
import dev.jetpack.engine.oci.Descriptor;
import dev.jetpack.engine.oci.Digest;
import dev.jetpack.engine.oci.OciLayout;
import dev.jetpack.engine.testing.CuttingProxy;
import dev.jetpack.engine.testing.RecordingLog;
import dev.jetpack.engine.testing.SelfSignedCertificate;
import dev.jetpack.engine.testing.Skopeo;
import dev.jetpack.engine.testing.TestOciImages;
import dev.jetpack.engine.testing.TestRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pushes to a real docker-registry on 127.0.0.1 and checks what arrived with skopeo and with the pull side. */
class RegistryPushTest {
    @TempDir
    Path temp;

    private TestRegistry registry;
    private final RecordingLog log = new RecordingLog();

    @BeforeEach
    void startRegistry() {
        registry = TestRegistry.in(temp.resolve("registry")).start();
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    private static PushOptions plainHttp() {
        return PushOptions.builder().registry(RegistryOptions.builder()
                .http(HttpSettings.builder().allowPlainHttp(true).build())
                .credentials(CredentialStore.builder().environment(Map.of()).home(Path.of("/nonexistent")).build())
                .build()).build();
    }

    @Test
    void pushedImageHasTheSameDigestsInSkopeoAndPullsBackVerified() throws Exception {
        Path layoutDir = temp.resolve("layout");
        Descriptor manifest = TestOciImages.write(layoutDir, "1.0", "hello".getBytes(StandardCharsets.UTF_8),
                TestOciImages.random(200_000, 1));
        OciLayout layout = OciLayout.open(layoutDir);
        RegistryReference target = RegistryReference.parse(registry.address() + "/team/app:1.0");

        PushResult result = new LayoutPusher(log)
                .push(layout, manifest, target, plainHttp());

        assertThat(result.pushed().digest()).contains(manifest.digest());
        assertThat(result.count(PushResult.Outcome.UPLOADED)).isEqualTo(3);
        String raw = Skopeo.run("inspect", "--tls-verify=false", "--raw", "docker://" + target);
        assertThat(raw.getBytes(StandardCharsets.UTF_8)).isEqualTo(layout.readBlob(manifest));
        assertThat(Skopeo.digest(target.toString()))
                .isEqualTo(manifest.digest().toString());

        PushResult again = new LayoutPusher(log)
                .push(layout, manifest, target, plainHttp());
        assertThat(again.count(PushResult.Outcome.PRESENT)).isEqualTo(3);

        RegistryClient client = new RegistryClient(target, plainHttp().registry(), EngineLog.SILENT);
        RemoteImage pulled = new ImagePuller(client).resolve(target, PlatformSelector.host());
        assertThat(pulled.manifestDescriptor().digest()).isEqualTo(manifest.digest());
        assertThat(pulled.config().rootfs().diffIds()).hasSize(2);
        for (Descriptor layer : pulled.manifest().layers()) {
            try (InputStream in = client.openBlob(pulled.reference(), layer)) {
                assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(layout.blobPath(layer.digest())));
            }
        }
    }

    @Test
    void bigBlobsGoInChunksAndSkopeoCopiesThemBack() throws Exception {
        Path layoutDir = temp.resolve("layout");
        Descriptor manifest = TestOciImages.write(layoutDir, "big", TestOciImages.random(300_000, 2));
        OciLayout layout = OciLayout.open(layoutDir);
        RegistryReference target = RegistryReference.parse(registry.address() + "/big:1");

        PushOptions chunked = plainHttp().toBuilder().monolithicLimit(50_000).chunkSize(64 * 1024).build();
        new LayoutPusher(log).push(layout, manifest, target, chunked);

        Path copy = temp.resolve("copy");
        Skopeo.run("copy", "--src-tls-verify=false", "docker://" + target, "oci:" + copy + ":big");
        OciLayout copied = OciLayout.open(copy);
        Descriptor copiedManifest = copied.find(java.util.Optional.of("big"));
        assertThat(copiedManifest.digest()).isEqualTo(manifest.digest());
        for (Descriptor layer : dev.jetpack.engine.oci.OciJson.read(copied.readBlob(copiedManifest),
                dev.jetpack.engine.oci.OciManifest.class, "copy").layers()) {
            assertThat(Files.readAllBytes(copied.blobPath(layer.digest())))
                    .isEqualTo(Files.readAllBytes(layout.blobPath(layer.digest())));
        }
    }

    @Test
    void blobsAreMountedFromAnotherRepository() throws Exception {
        Path layoutDir = temp.resolve("layout");
        Descriptor manifest = TestOciImages.write(layoutDir, "1", TestOciImages.random(10_000, 3));
        OciLayout layout = OciLayout.open(layoutDir);
        LayoutPusher pusher = new LayoutPusher(log);
        pusher.push(layout, manifest, RegistryReference.parse(registry.address() + "/team/base:1"), plainHttp());

        PushResult result = pusher.push(layout, manifest, RegistryReference.parse(registry.address() + "/team/app:1"),
                plainHttp().toBuilder().mountFrom(List.of("team/base")).build());

        assertThat(result.count(PushResult.Outcome.MOUNTED)).isEqualTo(2);
        assertThat(Skopeo.digest(registry.address() + "/team/app:1")).isEqualTo(manifest.digest().toString());
    }

    @Test
    void plainHttpIsRefusedUnlessAllowed() throws Exception {
        Path layoutDir = temp.resolve("layout");
        Descriptor manifest = TestOciImages.write(layoutDir, "1", "x".getBytes(StandardCharsets.UTF_8));
        PushOptions https = PushOptions.builder().registry(RegistryOptions.builder()
                .credentials(CredentialStore.builder().environment(Map.of()).home(temp).build()).build()).build();

        assertThatThrownBy(() -> new LayoutPusher(log)
                .push(OciLayout.open(layoutDir), manifest, RegistryReference.parse(registry.address() + "/a:1"), https))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("does not speak TLS")
                .hasMessageContaining("allow plain HTTP explicitly");
    }

    @Test
    void tlsRegistryIsTrustedOnlyWithItsCertificate() throws Exception {
        registry.close();
        SelfSignedCertificate certificate = SelfSignedCertificate.generate();
        registry = TestRegistry.in(temp.resolve("tls-registry")).tls(certificate).start();
        Path layoutDir = temp.resolve("layout");
        Descriptor manifest = TestOciImages.write(layoutDir, "1", "tls".getBytes(StandardCharsets.UTF_8));
        RegistryReference target = RegistryReference.parse(registry.address() + "/secure:1");
        PushOptions untrusted = plainHttp();
        LayoutPusher pusher = new LayoutPusher(log);

        assertThatThrownBy(() -> pusher.push(OciLayout.open(layoutDir), manifest, target, untrusted))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("certificate was not accepted");

        PushOptions trusted = PushOptions.builder().registry(untrusted.registry().toBuilder()
                .http(HttpSettings.builder().tls(TlsPolicy.trusting(certificate.clientContext(), "the test CA"))
                        .build()).build()).build();
        PushResult result = pusher.push(OciLayout.open(layoutDir), manifest, target, trusted);
        assertThat(result.count(PushResult.Outcome.UPLOADED)).isEqualTo(2);
    }

    @Test
    void aCutUploadLeavesNothingAndIsRetried() throws Exception {
        Path layoutDir = temp.resolve("layout");
        byte[] big = TestOciImages.random(400_000, 4);
        Descriptor manifest = TestOciImages.write(layoutDir, "1", big);
        OciLayout layout = OciLayout.open(layoutDir);
        Descriptor layer = dev.jetpack.engine.oci.OciJson.read(layout.readBlob(manifest),
                dev.jetpack.engine.oci.OciManifest.class, "m").layers().get(0);
        LayoutPusher pusher = new LayoutPusher(log);
        PushOptions once = plainHttp().toBuilder().attempts(1).build();

        try (CuttingProxy proxy = new CuttingProxy(registry.port(), 150_000, 1)) {
            RegistryReference viaProxy = RegistryReference.parse("127.0.0.1:" + proxy.port() + "/cut/app:1");
            assertThatThrownBy(() -> pusher.push(layout, manifest, viaProxy, once))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("keeps nothing of the failed upload");
            assertThat(proxy.cutsMade()).isEqualTo(1);
        }
        // No blob and no tag: the registry exposes nothing of the cut upload. (distribution 2.8 keeps the cut
        // session's bytes under _uploads until its own purge: its DELETE needs a _state whose offset matches.)
        assertThat(registry.storesBlob(layer.digest().hex())).isFalse();
        assertThat(Skopeo.attempt("inspect", "--tls-verify=false", "docker://" + registry.address() + "/cut/app:1")
                .exitCode()).isNotZero();

        try (CuttingProxy proxy = new CuttingProxy(registry.port(), 150_000, 1)) {
            RegistryReference viaProxy = RegistryReference.parse("127.0.0.1:" + proxy.port() + "/cut/app:1");
            PushResult result = pusher.push(layout, manifest, viaProxy, plainHttp());
            assertThat(proxy.cutsMade()).isEqualTo(1);
            assertThat(result.pushed().digest()).contains(manifest.digest());
        }
        assertThat(log.warnings()).anyMatch(w -> w.contains("attempt 1 of 3") && w.contains("trying again"));
        assertThat(Skopeo.digest(registry.address() + "/cut/app:1")).isEqualTo(manifest.digest().toString());
    }

    @Test
    void aRegistryThatDiesMidPushFailsCleanlyAndThePushCanBeRepeated() throws Exception {
        Path layoutDir = temp.resolve("layout");
        Descriptor manifest = TestOciImages.write(layoutDir, "1", TestOciImages.random(50_000, 5));
        OciLayout layout = OciLayout.open(layoutDir);
        RegistryReference target = RegistryReference.parse(registry.address() + "/dies:1");
        LayoutPusher pusher = new LayoutPusher(log);
        registry.stop();

        assertThatThrownBy(() -> pusher.push(layout, manifest, target,
                plainHttp().toBuilder().attempts(2).build()))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("Cannot connect to the registry " + registry.address());

        registry.start();
        assertThat(pusher.push(layout, manifest, target, plainHttp()).pushed().digest()).contains(manifest.digest());
    }
}
