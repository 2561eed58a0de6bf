package dev.jetpack.engine.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciModelTest {
    private static final byte[] LAYER = "layer bytes".getBytes(StandardCharsets.UTF_8);

    @Test
    void digestsAreCheckedForAlgorithmAndLength() {
        Digest digest = Digest.sha256(LAYER);
        assertThat(Digest.parse(digest.toString())).isEqualTo(digest);
        assertThatThrownBy(() -> Digest.parse("md5:abcd")).hasMessageContaining("sha256 or sha512");
        assertThatThrownBy(() -> Digest.parse("sha256:../../etc/passwd")).hasMessageContaining("64 lowercase hex");
        assertThatThrownBy(() -> Digest.parse("sha256" + digest.hex())).hasMessageContaining("algorithm:hex");
    }

    @Test
    void documentsAreWrittenCanonicallyAndReadBack() {
        OciConfig config = new OciConfig("1970-01-01T00:00:00Z", null, "amd64", "linux", null,
                new OciConfig.Execution("app:app", Map.of("80/tcp", Map.of()), List.of("B=2", "A=1"),
                        List.of("/bin/app"), null, null, "/srv", Map.of("z", "1", "a", "2"), null),
                OciConfig.RootFs.of(List.of(Digest.sha256(LAYER))), null);
        byte[] json = OciJson.write(config);
        assertThat(new String(json, StandardCharsets.UTF_8))
                .startsWith("{\"created\":\"1970-01-01T00:00:00Z\",\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"User\":\"app:app\"")
                .contains("\"Labels\":{\"a\":\"2\",\"z\":\"1\"}")
                .contains("\"diff_ids\":[\"" + Digest.sha256(LAYER) + "\"]")
                .doesNotContain("Cmd").doesNotContain("history").doesNotContain("null");
        assertThat(OciJson.read(json, OciConfig.class, "config")).isEqualTo(config);
        assertThat(OciJson.write(OciJson.read(json, OciConfig.class, "config"))).isEqualTo(json);
    }

    @Test
    void unknownFieldsAreIgnoredAndBadDocumentsNamed() {
        byte[] json = ("{\"schemaVersion\":2,\"mediaType\":\"" + OciMediaTypes.MANIFEST + "\",\"future\":1,"
                + "\"config\":{\"mediaType\":\"" + OciMediaTypes.CONFIG + "\",\"digest\":\"" + Digest.sha256(LAYER)
                + "\",\"size\":11},\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
        assertThat(OciJson.read(json, OciManifest.class, "m").config().size()).isEqualTo(11);
        assertThat(OciJson.mediaTypeOf(json, "m")).isEqualTo(OciMediaTypes.MANIFEST);
        assertThatThrownBy(() -> OciJson.read("{\"schemaVersion\":1}".getBytes(StandardCharsets.UTF_8),
                OciManifest.class, "manifest of x")).isInstanceOf(OciFormatException.class)
                .hasMessageContaining("manifest of x").hasMessageContaining("schemaVersion 1");
    }

    @Test
    void layoutStoresBlobsByDigestAndVerifiesThemOnRead(@TempDir Path dir) throws Exception {
        Path layoutDir = dir.resolve("layout");
        OciLayout layout = OciLayout.createOrOpen(layoutDir);
        Descriptor layer = layout.putBlob(OciMediaTypes.LAYER_TAR, LAYER);
        Descriptor streamed = layout.putBlob(OciMediaTypes.LAYER_TAR, out -> out.write(LAYER));
        assertThat(streamed).isEqualTo(layer);
        assertThat(layout.readBlob(layer)).isEqualTo(LAYER);
        assertThat(Files.list(layoutDir.resolve("blobs/sha256")).count()).isEqualTo(1);

        layout.tag(layer, "v1", Optional.of("example.com/app:v1"));
        layout.tag(layer, "v2", Optional.empty());
        layout.tag(layer, "v1", Optional.empty());
        OciLayout reopened = OciLayout.open(layoutDir);
        assertThat(reopened.index().manifests()).hasSize(2);
        assertThat(reopened.find(Optional.of("v2")).digest()).isEqualTo(layer.digest());
        assertThatThrownBy(() -> reopened.find(Optional.empty())).hasMessageContaining("tags: v2, v1");
        assertThatThrownBy(() -> reopened.find(Optional.of("v3"))).hasMessageContaining("no image tagged 'v3'");

        Files.write(layout.blobPath(layer.digest()), "layer bytez".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> reopened.readBlob(layer)).isInstanceOf(OciFormatException.class)
                .hasMessageContaining("does not match its digest");
        assertThatThrownBy(() -> OciLayout.open(dir)).hasMessageContaining("is not an OCI image layout");
    }

    @Test
    void verifyingStreamRefusesLongAndShortContent() {
        Descriptor descriptor = new Descriptor(OciMediaTypes.LAYER_TAR, Digest.sha256(LAYER), LAYER.length);
        assertThatThrownBy(() -> readAll(new VerifyingInputStream(new ByteArrayInputStream("layer bytes!".getBytes()),
                descriptor, "blob"))).hasMessageContaining("longer than");
        assertThatThrownBy(() -> readAll(new VerifyingInputStream(new ByteArrayInputStream("layer".getBytes()),
                descriptor, "blob"))).hasMessageContaining("has 5 bytes");
        // skipped bytes are digested too: skipping over other content of the right length is still refused
        assertThatThrownBy(() -> {
            InputStream in = new VerifyingInputStream(new ByteArrayInputStream("layer bytez".getBytes()), descriptor,
                    "blob");
            in.skip(LAYER.length);
            in.read();
        }).hasMessageContaining("does not match its digest");
    }

    private static void readAll(InputStream in) throws Exception {
        in.readAllBytes();
    }
}
