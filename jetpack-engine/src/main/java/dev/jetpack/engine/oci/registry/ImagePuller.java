package dev.jetpack.engine.oci.registry;

import dev.jetpack.engine.oci.Descriptor;
import dev.jetpack.engine.oci.OciConfig;
import dev.jetpack.engine.oci.OciFormatException;
import dev.jetpack.engine.oci.OciIndex;
import dev.jetpack.engine.oci.OciJson;
import dev.jetpack.engine.oci.OciManifest;
import dev.jetpack.engine.oci.OciMediaTypes;
import java.util.Objects;

/**
 * Resolves a registry image to what a consumer needs before reading layers: the tag (or digest) to a manifest,
 * an index to the manifest for the wanted platform, and the config; every document is checked against its
 * digest on the way ({@link RegistryClient}).
 */
public final class ImagePuller {
    private final RegistryClient client;

    public ImagePuller(RegistryClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * @param platform the platform to pick from an index, e.g. {@link PlatformSelector#host()}; a plain
     *                 manifest is taken as it is (its config says its platform)
     */
    public RemoteImage resolve(RegistryReference reference, Descriptor.Platform platform) {
        RegistryManifest served = client.fetchManifest(reference);
        if (served.isIndex()) {
            OciIndex index = OciJson.read(served.bytes(), OciIndex.class, "the image index " + served.reference());
            Descriptor chosen = PlatformSelector.select(index, platform, reference.toString());
            served = client.fetchManifest(reference.withDigest(chosen.digest()));
            if (served.isIndex()) {
                throw new OciFormatException("The index " + reference + " names " + chosen.digest() + " as an image"
                        + " manifest, but it is another index: nested indexes are not followed");
            }
        }
        if (!OciMediaTypes.MANIFESTS.contains(served.descriptor().mediaType())) {
            throw new OciFormatException(served.reference() + " is a " + served.descriptor().mediaType()
                    + ", not an OCI or Docker schema 2 image manifest: only those can be pulled");
        }
        OciManifest manifest = OciJson.read(served.bytes(), OciManifest.class, "the manifest " + served.reference());
        byte[] configBytes = client.readBlob(served.reference(), manifest.config());
        OciConfig config = OciJson.read(configBytes, OciConfig.class, "the config " + manifest.config().digest()
                + " of " + served.reference());
        return new RemoteImage(served.reference(), served.descriptor(), served.bytes(), manifest, configBytes, config);
    }
}
