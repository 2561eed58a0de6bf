package dev.jetpack.engine.store;

import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.manifest.ImageManifest;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An ACI read completely into a private working directory of the store ({@link ImageStore#stage}): its bytes
 * as received, its unpacked root file system, its image ID and valid manifest. Nobody else sees it. Whoever
 * staged it inspects it (signature, name, labels) and then either hands it to {@link ImageStore#commit}, which
 * makes it a stored image, or closes it, which deletes it. Closing after a commit does nothing more.
 */
public final class StagedImage implements AutoCloseable {
    private final StagingArea.Workspace workspace;
    private final ImageId id;
    private final ImageManifest manifest;
    private final byte[] manifestJson;
    private final String source;
    private boolean used;
    private boolean closed;

    StagedImage(StagingArea.Workspace workspace, ImageId id, ImageManifest manifest, byte[] manifestJson,
            String source) {
        this.workspace = workspace;
        this.id = id;
        this.manifest = manifest;
        this.manifestJson = manifestJson.clone();
        this.source = source;
    }

    /** The image ID: SHA-512 of the uncompressed tar. */
    public ImageId id() {
        return id;
    }

    /** The image's manifest, already validated. */
    public ImageManifest manifest() {
        return manifest;
    }

    /** Where the bytes came from, for messages. */
    public String source() {
        return source;
    }

    /** The ACI bytes exactly as received (still compressed), inside the private working directory. */
    public Path aciFile() {
        return workspace.directory().resolve(ImageStore.ACI_FILE);
    }

    Path ownRootfs() {
        return workspace.directory().resolve(ImageStore.OWN_ROOTFS);
    }

    byte[] manifestJson() {
        return manifestJson.clone();
    }

    StagingArea.Workspace workspace() {
        return workspace;
    }

    /** Marks the image as handed to a commit: a staged image is committed at most once. */
    void claim() {
        if (used) {
            throw new IllegalStateException("Staged image " + id + " from " + source + " was already committed or"
                    + " discarded");
        }
        used = true;
    }

    /** Deletes what is left of the working directory (everything, unless it was committed) and unlocks it. */
    @Override
    public void close() {
        used = true;
        if (closed) {
            return;
        }
        closed = true;
        try {
            workspace.close();
        } catch (IOException e) {
            throw new StoreException("Cannot delete the staging directory " + workspace.directory() + " of the image"
                    + " from " + source + ": " + e.getMessage() + ". The next use of the store removes it.", e);
        }
    }

    @Override
    public String toString() {
        return "staged " + manifest.name() + " " + id.shortForm() + " from " + source;
    }
}
