package dev.jetpack.engine.testing;

import dev.jetpack.engine.oci.Descriptor;
import dev.jetpack.engine.oci.Digest;
import dev.jetpack.engine.oci.OciConfig;
import dev.jetpack.engine.oci.OciJson;
import dev.jetpack.engine.oci.OciLayout;
import dev.jetpack.engine.oci.OciManifest;
import dev.jetpack.engine.oci.OciMediaTypes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Small OCI images written into a layout, for registry tests: gzip layers of one file each, a config, a manifest. */
public final class TestOciImages {
    private TestOciImages() {
    }

    /** Bytes that do not compress (so a layer of {@code size} is about that big), the same for the same seed. */
    public static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /**
     * Writes an image whose layers each hold one file {@code layerN.bin} with the given content, tags it
     * {@code tag} in {@code layout}, and returns the manifest's descriptor.
     */
    public static Descriptor write(Path layoutDirectory, String tag, byte[]... layerContents) throws IOException {
        OciLayout layout = OciLayout.createOrOpen(layoutDirectory);
        List<Descriptor> layers = new ArrayList<>();
        List<Digest> diffIds = new ArrayList<>();
        for (int i = 0; i < layerContents.length; i++) {
            byte[] tar = tar("layer" + i + ".bin", layerContents[i]);
            diffIds.add(Digest.sha256(tar));
            ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
                gzip.write(tar);
            }
            layers.add(layout.putBlob(OciMediaTypes.LAYER_GZIP, gzipped.toByteArray()));
        }
        OciConfig config = new OciConfig("2026-01-01T00:00:00Z", null, "amd64", "linux", null,
                new OciConfig.Execution(null, null, List.of("PATH=/bin"), List.of("/bin/sh"), null, null, null, null,
                        null), OciConfig.RootFs.of(diffIds), List.of());
        Descriptor configBlob = layout.putBlob(OciMediaTypes.CONFIG, OciJson.write(config));
        Descriptor manifest = layout.putBlob(OciMediaTypes.MANIFEST, OciJson.write(OciManifest.of(configBlob, layers)));
        layout.tag(manifest, tag, Optional.empty());
        return manifest;
    }

    private static byte[] tar(String name, byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(content.length);
            entry.setModTime(0);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }
}
