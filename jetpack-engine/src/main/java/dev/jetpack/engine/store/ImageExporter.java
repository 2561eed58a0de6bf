package dev.jetpack.engine.store;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.aci.AciWriter;
import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.aci.WriterOptions;
import dev.jetpack.engine.io.AtomicFiles;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.ManifestCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Writes a stored image out as an ACI (Jetpack's {@code export}): the ACI exactly as it was stored, or flat: the
 * rendered tree (dependencies applied, pathWhitelist kept to) as a self-contained ACI, whose manifest therefore
 * has neither dependencies nor a pathWhitelist.
 */
public final class ImageExporter {
    private final WriterOptions flatOptions;
    private final EngineLog log;

    /** @param flatOptions how a flat export is written (compression, progress) */
    public ImageExporter(WriterOptions flatOptions, EngineLog log) {
        this.flatOptions = Objects.requireNonNull(flatOptions, "flatOptions");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** @return the ID of the image written (a flat export has an ID of its own) */
    public ImageId export(StoredImage image, boolean flat, OutputStream out) {
        try {
            if (!flat) {
                try (InputStream in = Files.newInputStream(image.aciFile())) {
                    in.transferTo(out);
                }
                out.flush();
                return image.id();
            }
            return AciWriter.write(flatManifest(image), image.rootfs(), out, flatOptions).id();
        } catch (IOException e) {
            throw new JetpackException("Cannot export " + image.describe() + ": " + e.getMessage()
                    + ". Check that the output can be written.", e);
        }
    }

    /** {@link #export(StoredImage, boolean, OutputStream)} into {@code file}, which appears complete or not at all. */
    public ImageId export(StoredImage image, boolean flat, Path file) {
        ImageId[] written = new ImageId[1];
        try {
            AtomicFiles.write(file, out -> written[0] = export(image, flat, out));
        } catch (IOException e) {
            throw new JetpackException("Cannot export " + image.describe() + " to " + file + ": " + e.getMessage()
                    + ". Check that the directory exists and is writable.", e);
        }
        log.info("Exported " + (flat ? "flat " : "") + image.describe() + " to " + file);
        return written[0];
    }

    private static byte[] flatManifest(StoredImage image) {
        ImageManifest flat = image.manifest().withDependencies(List.of()).withPathWhitelist(List.of());
        return ManifestCodec.write(flat, false);
    }
}
