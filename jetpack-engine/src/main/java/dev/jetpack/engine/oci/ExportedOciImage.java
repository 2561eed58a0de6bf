package dev.jetpack.engine.oci;

import java.nio.file.Path;
import java.util.List;

/**
 * An image {@link OciExporter} wrote: where, under which name, and its manifest and config with their digests,
 * which are the same on every export of the same stored image.
 *
 * @param manifestDescriptor the manifest blob: its digest is the image's OCI digest ({@code name@sha256:…})
 * @param layers             the layer blobs, base first, as the manifest lists them
 * @param warnings           what of the appc image has no OCI counterpart (kept as labels), one line each
 */
public record ExportedOciImage(OciExportFormat format, Path destination, OciReference reference,
                               Descriptor manifestDescriptor, OciManifest manifest, OciConfig config,
                               List<Descriptor> layers, List<String> warnings) {
    public ExportedOciImage {
        layers = List.copyOf(layers);
        warnings = List.copyOf(warnings);
    }

    /**
     * The layout the image is in, to read its blobs (e.g. to push them); only for
     * {@link OciExportFormat#OCI_LAYOUT}: a docker archive's layout is packed into the archive.
     */
    public OciLayout layout() {
        if (format != OciExportFormat.OCI_LAYOUT) {
            throw new IllegalStateException("the image was exported as " + format + " to " + destination
                    + ", not as an OCI layout");
        }
        return OciLayout.open(destination);
    }
}
