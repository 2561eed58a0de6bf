package dev.jetpack.engine.oci.registry;

import dev.jetpack.engine.oci.Descriptor;
import java.util.List;

/**
 * What {@link ImagePusher} did.
 *
 * @param pushed   the target, pinned to the digest of the manifest the registry now has under the tag
 * @param manifest the manifest pushed
 * @param blobs    each layer and the config, and how it reached the registry
 */
public record PushResult(RegistryReference pushed, Descriptor manifest, List<BlobPush> blobs) {
    public PushResult {
        blobs = List.copyOf(blobs);
    }

    /** How one blob reached the registry. */
    public enum Outcome {
        /** The registry had it (HEAD): nothing sent. */
        PRESENT,
        /** Mounted from another repository of the registry: nothing sent. */
        MOUNTED,
        /** Uploaded. */
        UPLOADED
    }

    public record BlobPush(Descriptor blob, Outcome outcome) {
    }

    /** How many blobs had {@code outcome}. */
    public long count(Outcome outcome) {
        return blobs.stream().filter(blob -> blob.outcome() == outcome).count();
    }
}
