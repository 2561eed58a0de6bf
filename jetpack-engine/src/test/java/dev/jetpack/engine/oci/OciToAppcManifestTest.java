package dev.jetpack.engine.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.fetch.discovery.HostPlatform;
import dev.jetpack.engine.manifest.EnvironmentVariable;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.ManifestValidator;
import dev.jetpack.engine.manifest.MountPoint;
import dev.jetpack.engine.manifest.Port;
import dev.jetpack.engine.oci.registry.PlatformSelector;
import dev.jetpack.engine.testing.TestOciImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config → appc manifest mapping (docker2aci's), and how a layout's index is resolved to the host's image. */
class OciToAppcManifestTest {
    @TempDir
    Path tmp;

    private static OciImage image(String repository, Optional<String> tag, String architecture, String variant,
            OciConfig.Execution execution) {
        OciConfig config = new OciConfig("2026-01-02T03:04:05Z", "Jane <jane@example.com>", architecture, "linux",
                variant, execution, OciConfig.RootFs.of(List.of()), List.of());
        return new OciImage("oci:/tmp/x", repository, tag, Optional.of(Digest.sha256(new byte[1])),
                Digest.sha256(new byte[2]), config, List.of());
    }

    @Test
    void configBecomesAValidAppcManifestAsDocker2aciMapsIt() {
        OciConfig.Execution execution = new OciConfig.Execution("app:staff",
                Map.of("8080/tcp", Map.of(), "53/udp", Map.of()),
                List.of("PATH=/usr/bin:/bin", "LANG=C.UTF-8", "NOVALUE", "bad name=x"),
                List.of("/bin/server", "--port"), List.of("8080"), Map.of("/var/lib/data", Map.of()), "/srv",
                Map.of("org.opencontainers.image.version", "2.0", "Not An Identifier!", "x"), "SIGTERM");
        ImageManifest manifest = OciToAppcManifest.map(image("127.0.0.1:5000/Team/App", Optional.of("1.0"),
                "arm64", null, execution), EngineLog.SILENT);

        assertThat(ManifestValidator.validate(manifest)).isEmpty();
        assertThat(manifest.name()).isEqualTo("127.0.0.1-5000/team/app");
        assertThat(manifest.label("version")).contains("1.0");
        assertThat(manifest.label("os")).contains("linux");
        assertThat(manifest.label("arch")).contains("aarch64");
        assertThat(manifest.app().exec()).containsExactly("/bin/server", "--port", "8080");
        assertThat(manifest.app().user()).isEqualTo("app");
        assertThat(manifest.app().group()).isEqualTo("staff");
        assertThat(manifest.app().environment()).containsExactly(new EnvironmentVariable("PATH", "/usr/bin:/bin"),
                new EnvironmentVariable("LANG", "C.UTF-8"));
        assertThat(manifest.app().workingDirectory()).isEqualTo("/srv");
        assertThat(manifest.app().ports()).containsExactly(new Port("53-udp", "udp", 53, null, false),
                new Port("8080-tcp", "tcp", 8080, null, false));
        assertThat(manifest.app().mountPoints()).containsExactly(new MountPoint("volume-var-lib-data",
                "/var/lib/data", false));
        assertThat(manifest.annotation("appc.io/docker/entrypoint")).contains("[\"/bin/server\",\"--port\"]");
        assertThat(manifest.annotation("appc.io/docker/cmd")).contains("[\"8080\"]");
        assertThat(manifest.annotation("created")).contains("2026-01-02T03:04:05Z");
        assertThat(manifest.annotation("authors")).contains("Jane <jane@example.com>");
        assertThat(manifest.annotation("org.opencontainers.image.version")).contains("2.0");
        assertThat(manifest.annotation("appc.io/docker/imageid")).contains(Digest.sha256(new byte[2]).toString());
        assertThat(manifest.annotations()).noneMatch(a -> a.name().contains("Not"));
    }

    @Test
    void userDefaultsAndArchitecturesWithoutAnAppcName() {
        OciConfig.Execution root = new OciConfig.Execution(null, null, null, null, List.of("/bin/sh"), null, null,
                null, null);
        ImageManifest manifest = OciToAppcManifest.map(image("docker.io/library/busybox", Optional.empty(), "arm",
                "v6", root), EngineLog.SILENT);
        assertThat(manifest.app().user()).isEqualTo("0");
        assertThat(manifest.app().group()).isEqualTo("0");
        assertThat(manifest.label("arch")).contains("armv6l");
        assertThat(manifest.label("version")).isEmpty();
        OciConfig.Execution named = new OciConfig.Execution("nobody", null, null, null, List.of("/bin/sh"), null,
                null, null, null);
        ImageManifest riscv = OciToAppcManifest.map(image("x/y", Optional.of("1"), "riscv64", null, named),
                EngineLog.SILENT);
        assertThat(riscv.app().group()).isEqualTo("nobody");
        assertThat(riscv.label("os")).isEmpty();
        assertThat(riscv.label("arch")).isEmpty();
        assertThat(ManifestValidator.validate(riscv)).isEmpty();
        // no exec at all: an image without an app
        assertThat(OciToAppcManifest.map(image("x/y", Optional.empty(), "amd64", null, null), EngineLog.SILENT)
                .app()).isNull();
        assertThatThrownBy(() -> OciToAppcManifest.map(image("---", Optional.empty(), "amd64", null, null),
                EngineLog.SILENT)).isInstanceOf(OciFormatException.class).hasMessageContaining("no usable name");
    }

    @Test
    void aLayoutIndexIsResolvedToTheHostsImage() throws IOException {
        Path directory = tmp.resolve("multi");
        Descriptor host = TestOciImages.write(directory, "host-only", "host".getBytes(StandardCharsets.UTF_8));
        OciLayout layout = OciLayout.open(directory);
        Descriptor.Platform platform = PlatformSelector.host();
        Descriptor other = host.withPlatform(new Descriptor.Platform("s390x", "linux", null));
        Descriptor index = layout.putBlob(OciMediaTypes.INDEX, OciJson.write(OciIndex.of(List.of(
                other.withAnnotations(Map.of()), host.withAnnotations(Map.of()).withPlatform(platform)))));
        layout.tag(index, "multi", Optional.of("127.0.0.1:5000/team/multi:multi"));
        Descriptor onlyOther = layout.putBlob(OciMediaTypes.INDEX, OciJson.write(OciIndex.of(List.of(
                other.withAnnotations(Map.of())))));
        layout.tag(onlyOther, "foreign", Optional.empty());

        OciImage resolved = OciLayoutImages.read(directory, Optional.of("multi"), platform);
        assertThat(resolved.manifestDigest()).contains(host.digest());
        assertThat(resolved.repository()).isEqualTo("127.0.0.1:5000/team/multi");
        assertThat(resolved.tag()).contains("multi");
        assertThatThrownBy(() -> OciLayoutImages.read(directory, Optional.of("foreign"), platform))
                .isInstanceOf(OciFormatException.class).hasMessageContainingAll("no image for", "linux/s390x");
        assertThatThrownBy(() -> OciLayoutImages.read(directory, Optional.of("nope"), platform))
                .isInstanceOf(OciFormatException.class).hasMessageContainingAll("no image tagged 'nope'", "multi");
        assertThatThrownBy(() -> OciLayoutImages.read(directory, Optional.empty(), platform))
                .isInstanceOf(OciFormatException.class).hasMessageContaining("oci:" + directory + ":TAG");
        assertThat(HostPlatform.os()).isEqualTo(platform.os());
    }
}
