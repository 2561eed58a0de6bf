package dev.jetpack.engine.oci.registry;

import dev.jetpack.engine.oci.Descriptor;
import dev.jetpack.engine.oci.OciMediaTypes;

/**
 * A manifest or index as a registry served it, its digest checked.
 *
 * @param reference  where it came from, pinned to its digest
 * @param descriptor its media type, digest and size
 * @param bytes      the document exactly as served (its digest is over these bytes)
 */
public record RegistryManifest(RegistryReference reference, Descriptor descriptor, byte[] bytes) {
    /** An image index or Docker manifest list, rather than an image manifest. */
    public boolean isIndex() {
        return OciMediaTypes.INDEXES.contains(descriptor.mediaType());
    }
}
