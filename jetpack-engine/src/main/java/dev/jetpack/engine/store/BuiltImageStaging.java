package dev.jetpack.engine.store;

import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.ManifestCodec;
import dev.jetpack.engine.manifest.ManifestValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiFunction;

/**
 * The first half of storing an image that was just built ({@link ImageStore#stageBuilt}): its builder lays the
 * image's tree out in a private staging workspace while it writes the ACI, so the store keeps that tree instead of
 * unpacking the ACI it was just given (decompressing and writing every file again). The builder is responsible for
 * the tree being exactly what unpacking its ACI would give. {@link #complete} then makes it an ordinary
 * {@link StagedImage} for {@link ImageStore#commit}; closing it before that deletes the workspace.
 */
public final class BuiltImageStaging implements AutoCloseable {
    private final StagingArea.Workspace workspace;
    private final String source;
    private final BiFunction<String, IOException, StoreException> importFailure;
    private boolean handedOver;

    private BuiltImageStaging(StagingArea.Workspace workspace, String source,
            BiFunction<String, IOException, StoreException> importFailure) {
        this.workspace = workspace;
        this.source = source;
        this.importFailure = importFailure;
    }

    static BuiltImageStaging create(StagingArea staging, String source,
            BiFunction<String, IOException, StoreException> importFailure) throws IOException {
        StagingArea.Workspace workspace = staging.create("build");
        try {
            Files.createDirectory(workspace.directory().resolve(ImageStore.OWN_ROOTFS));
        } catch (IOException e) {
            workspace.close();
            throw e;
        }
        return new BuiltImageStaging(workspace, source, importFailure);
    }

    /** The empty directory to lay the image's root file system out in; on the store's file system. */
    public Path rootfs() {
        return workspace.directory().resolve(ImageStore.OWN_ROOTFS);
    }

    /**
     * The staged image, once its ACI is complete: the ACI is hard-linked in when {@code linkAci} (a temporary
     * output nobody else touches), else copied (the user may change their file later); the manifest is validated
     * as an import validates it.
     *
     * @param id the image ID the writer computed over the tar it wrote
     */
    public StagedImage complete(Path aci, boolean linkAci, ImageId id, byte[] manifestJson) {
        try {
            Path aciFile = workspace.directory().resolve(ImageStore.ACI_FILE);
            if (!linkAci || !AciStaging.tryLink(aci, aciFile)) {
                Files.copy(aci, aciFile);
            }
            String manifestSource = "of the image from " + source;
            ImageManifest manifest = ManifestValidator.requireValid(ManifestCodec.read(manifestJson, manifestSource),
                    manifestSource);
            StagedImage staged = new StagedImage(workspace, id, manifest, manifestJson, source);
            handedOver = true;
            return staged;
        } catch (IOException e) {
            throw importFailure.apply(source, e);
        }
    }

    /** Deletes the workspace unless {@link #complete} handed it to a staged image (which deletes it then). */
    @Override
    public void close() {
        if (handedOver) {
            return;
        }
        handedOver = true;
        try {
            workspace.close();
        } catch (IOException e) {
            throw new StoreException("Cannot delete the staging directory " + workspace.directory() + " of the image"
                    + " from " + source + ": " + e.getMessage() + ". The next use of the store removes it.", e);
        }
    }
}
