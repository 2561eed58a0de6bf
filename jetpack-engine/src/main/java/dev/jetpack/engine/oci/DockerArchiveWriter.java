package dev.jetpack.engine.oci;

import dev.jetpack.engine.aci.TarEntry;
import dev.jetpack.engine.aci.TarStreamWriter;
import dev.jetpack.engine.io.AtomicFiles;
import dev.jetpack.engine.io.CountingOutputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Packs one exported image into the archive {@code docker load} and {@code podman load} take: its OCI layout
 * ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/…}) plus {@code docker save}'s {@code manifest.json}
 * ({@code [{"Config", "RepoTags", "Layers"}]}) pointing into those blobs, as Docker 25 writes it. Members are
 * sorted, owned by 0:0 with time 0, so the archive is as reproducible as the blobs.
 */
final class DockerArchiveWriter {
    private static final int BUFFER = 64 * 1024;

    private DockerArchiveWriter() {
    }

    /** Writes {@code file} atomically from the layout that holds exactly the image {@code manifest}. */
    static void write(OciLayout layout, Descriptor manifestDescriptor, OciManifest manifest, OciReference reference,
                      Path file) throws IOException {
        AtomicFiles.write(file, out -> writeTo(layout, manifestDescriptor, manifest, reference, out));
    }

    private static void writeTo(OciLayout layout, Descriptor manifestDescriptor, OciManifest manifest,
                                OciReference reference, OutputStream out) throws IOException {
        List<Descriptor> blobs = new ArrayList<>();
        blobs.add(manifestDescriptor);
        blobs.add(manifest.config());
        blobs.addAll(manifest.layers());
        blobs.sort((a, b) -> a.digest().hex().compareTo(b.digest().hex()));

        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("Config", blobName(manifest.config()));
        entry.put("RepoTags", List.of(reference.toString()));
        entry.put("Layers", manifest.layers().stream().map(DockerArchiveWriter::blobName).toList());
        byte[] dockerManifest = OciJson.write(List.of(entry));

        try (TarStreamWriter tar = new TarStreamWriter(new BufferedOutputStream(new CountingOutputStream(out), BUFFER))) {
            directory(tar, "blobs");
            directory(tar, "blobs/sha256");
            String previous = null;
            for (Descriptor blob : blobs) {
                String name = blobName(blob);
                if (name.equals(previous)) {
                    continue; // two layers with the same content are one blob
                }
                previous = name;
                try (InputStream content = layout.openBlob(blob)) {
                    tar.write(file(name, blob.size()), content);
                }
            }
            small(tar, "index.json", Files.readAllBytes(layout.directory().resolve("index.json")));
            small(tar, "manifest.json", dockerManifest);
            small(tar, "oci-layout", Files.readAllBytes(layout.directory().resolve("oci-layout")));
        }
    }

    private static String blobName(Descriptor blob) {
        return "blobs/" + blob.digest().algorithm() + "/" + blob.digest().hex();
    }

    private static void directory(TarStreamWriter tar, String name) throws IOException {
        tar.write(new TarEntry(name, TarEntry.Type.DIRECTORY, 0755, 0, 0, 0, Instant.EPOCH, "", 0, 0, Map.of()), null);
    }

    private static void small(TarStreamWriter tar, String name, byte[] content) throws IOException {
        tar.write(file(name, content.length), new ByteArrayInputStream(content));
    }

    private static TarEntry file(String name, long size) {
        return new TarEntry(name, TarEntry.Type.FILE, 0644, 0, 0, size, Instant.EPOCH, "", 0, 0, Map.of());
    }
}
