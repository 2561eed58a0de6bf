package dev.jetpack.engine.oci;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.io.DiskSpace;
import dev.jetpack.engine.store.ImageNotFoundException;
import dev.jetpack.engine.store.ImageStore;
import dev.jetpack.engine.store.StoredImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Exports a stored image to the OCI world (issue #14): an OCI image layout, or one archive for {@code docker load}
 * and {@code podman load}. The layers are {@link LayerPlanner}'s (one per image of the dependency chain, whiteouts for
 * what the image deletes), written by {@link LayerTarWriter}; the config is {@link AppcToOciConfig}'s mapping. Every
 * byte depends on the stored image alone (sorted entries, stored times, canonical JSON, {@code created} from the
 * image), so the same image gives the same digests on every export.
 */
public final class OciExporter {
    private final ImageStore store;
    private final EngineLog log;
    private final ProgressListener progress;

    public OciExporter(ImageStore store, EngineLog log, ProgressListener progress) {
        this.store = Objects.requireNonNull(store, "store");
        this.log = Objects.requireNonNull(log, "log");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * Writes {@code image} as {@code options} say.
     *
     * @throws JetpackException naming the image, the destination and the fix when it cannot be written
     */
    public ExportedOciImage export(StoredImage image, OciExportOptions options) {
        OciReference reference = options.reference().orElseGet(() -> OciReference.defaultFor(image.manifest()));
        Path destination = options.destination();
        try {
            if (options.format() == OciExportFormat.OCI_LAYOUT) {
                return into(OciLayout.createOrOpen(destination), image, reference, options);
            }
            // The layout is staged in the store's work area (a killed export's is swept like a killed build's) and
            // then packed into the archive, which appears complete or not at all.
            Path staging = store.workArea().newDirectory();
            try {
                ExportedOciImage exported = into(OciLayout.createOrOpen(staging), image, reference, options);
                DockerArchiveWriter.write(OciLayout.open(staging), exported.manifestDescriptor(), exported.manifest(),
                        reference, destination);
                return new ExportedOciImage(OciExportFormat.DOCKER_ARCHIVE, destination, reference,
                        exported.manifestDescriptor(), exported.manifest(), exported.config(), exported.layers(),
                        exported.warnings());
            } finally {
                store.workArea().deleteQuietly(staging);
            }
        } catch (IOException e) {
            String full = DiskSpace.hint(e, destination);
            throw new JetpackException("Cannot export " + image.describe() + " to " + destination + ": " + e + "."
                    + (full.isEmpty() ? " Check that the destination's directory exists and is writable." : full), e);
        }
    }

    private ExportedOciImage into(OciLayout layout, StoredImage image, OciReference reference, OciExportOptions options)
            throws IOException {
        String task = "Exporting " + image.describe() + " to OCI";
        try {
            List<LayerSource> sources = new LayerPlanner(this::dependency, log).plan(image);
            LayerTarWriter writer = new LayerTarWriter(options.compression(), options.threads(), log, progress, task);
            List<Descriptor> layers = new ArrayList<>();
            List<Digest> diffIds = new ArrayList<>();
            List<OciConfig.History> history = new ArrayList<>();
            for (int i = 0; i < sources.size(); i++) {
                LayerSource source = sources.get(i);
                LayerTarWriter.Layer layer = writer.write(source, layout);
                layers.add(layer.blob());
                diffIds.add(layer.diffId());
                history.add(new OciConfig.History(AppcToOciConfig.created(source.image().manifest(), new ArrayList<>()),
                        null, null, "appc image " + source.image().describe(), false));
            }
            AppcToOciConfig.Mapping mapping = AppcToOciConfig.map(image.manifest(), image.id(), image.rootfs(),
                    diffIds, history);
            mapping.warnings().forEach(log::warn);
            Descriptor config = layout.putBlob(OciMediaTypes.CONFIG, OciJson.write(mapping.config()));
            OciManifest manifest = OciManifest.of(config, layers);
            Descriptor manifestBlob = layout.putBlob(OciMediaTypes.MANIFEST, OciJson.write(manifest));
            AppcToOciConfig.Platform platform = AppcToOciConfig.platform(image.manifest(), new ArrayList<>());
            Descriptor indexEntry = manifestBlob.withPlatform(new Descriptor.Platform(platform.architecture(),
                    platform.os(), platform.variant()));
            layout.tag(indexEntry, reference.tag(), Optional.of(reference.toString()));
            log.info("Exported " + image.describe() + " as " + reference + "@" + manifestBlob.digest() + " ("
                    + layers.size() + " layer" + (layers.size() == 1 ? "" : "s") + ") to " + layout.directory());
            return new ExportedOciImage(OciExportFormat.OCI_LAYOUT, layout.directory(), reference, manifestBlob,
                    manifest, mapping.config(), layers, mapping.warnings());
        } finally {
            progress.finished(task);
        }
    }

    private StoredImage dependency(ImageId id) {
        return store.get(id).orElseThrow(() -> new ImageNotFoundException("The dependency " + id + " is missing from"
                + " the store " + store.root() + ": the store is damaged. Fetch or import the image again."));
    }
}
