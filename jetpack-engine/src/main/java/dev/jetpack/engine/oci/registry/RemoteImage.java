package dev.jetpack.engine.oci.registry;

import dev.jetpack.engine.oci.Descriptor;
import dev.jetpack.engine.oci.OciConfig;
import dev.jetpack.engine.oci.OciManifest;

/**
 * An image in a registry, resolved to one platform's manifest, with its config read; the layers are read with
 * {@link RegistryClient#openBlob(RegistryReference, Descriptor)} for each of {@code manifest.layers()}.
 *
 * @param reference     the image, pinned to the digest of {@code manifest}
 * @param manifestBytes the manifest as served (its digest is {@code manifestDescriptor.digest()})
 * @param configBytes   the config as served (its digest is {@code manifest.config().digest()})
 */
public record RemoteImage(RegistryReference reference, Descriptor manifestDescriptor, byte[] manifestBytes,
                          OciManifest manifest, byte[] configBytes, OciConfig config) {
}
