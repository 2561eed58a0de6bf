package dev.jetpack.engine.oci.registry;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.oci.ExportedOciImage;
import dev.jetpack.engine.oci.OciExportFormat;
import dev.jetpack.engine.oci.OciExportOptions;
import dev.jetpack.engine.oci.OciExporter;
import dev.jetpack.engine.store.ImageStore;
import dev.jetpack.engine.store.StoredImage;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Pushes a stored image straight to a registry (Jetpack's {@code push}, issue #14): the image is exported to OCI
 * in the store's work area ({@link OciExporter}: the same image always gives the same digests) and pushed from
 * there ({@link LayoutPusher}); the scratch layout is removed on every path.
 */
public final class ImagePusher {
    private final ImageStore store;
    private final EngineLog log;
    private final ProgressListener progress;

    public ImagePusher(ImageStore store, EngineLog log, ProgressListener progress) {
        this.store = Objects.requireNonNull(store, "store");
        this.log = Objects.requireNonNull(log, "log");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** Pushes the stored {@code image} as {@code target}. */
    public PushResult push(StoredImage image, RegistryReference target, PushOptions options) {
        LayoutPusher.requireTag(target);
        Path scratch = store.workArea().newDirectory();
        try {
            ExportedOciImage exported = new OciExporter(store, log, progress).export(image,
                    OciExportOptions.builder(OciExportFormat.OCI_LAYOUT, scratch.resolve("layout")).build());
            return new LayoutPusher(log).push(exported.layout(), exported.manifestDescriptor(), target, options);
        } finally {
            store.workArea().deleteQuietly(scratch);
        }
    }

}
