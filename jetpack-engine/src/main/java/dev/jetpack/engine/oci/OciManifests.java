package dev.jetpack.engine.oci;

import dev.jetpack.engine.oci.registry.PlatformSelector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resolves a manifest or index to one image of one platform, wherever the blobs come from (a layout, a
 * registry): an index is followed to the entry for the platform, a manifest gives the config and layers.
 */
public final class OciManifests {
    /** Reads one blob by its descriptor, verified. */
    public interface Blobs {
        byte[] read(Descriptor descriptor) throws IOException;

        OciImage.BlobOpener opener(Descriptor descriptor);
    }

    /** Nested indexes deeper than this are refused: a loop or an attack. */
    private static final int MAX_INDEX_DEPTH = 4;

    private OciManifests() {
    }

    /**
     * @param descriptor the manifest or index the reference names
     * @param source     names the image in messages
     */
    public static OciImage resolve(Descriptor descriptor, Blobs blobs, Descriptor.Platform platform, String source,
            String repository, Optional<String> tag) throws IOException {
        Descriptor current = descriptor;
        for (int depth = 0; OciMediaTypes.INDEXES.contains(current.mediaType()); depth++) {
            if (depth == MAX_INDEX_DEPTH) {
                throw new OciFormatException(source + " nests image indexes more than " + MAX_INDEX_DEPTH
                        + " deep: refused");
            }
            OciIndex index = OciJson.read(blobs.read(current), OciIndex.class, "image index " + current.digest()
                    + " of " + source);
            current = PlatformSelector.select(index, platform, source);
        }
        if (!OciMediaTypes.MANIFESTS.contains(current.mediaType())) {
            throw new OciFormatException(source + " names a " + current.mediaType() + " (" + current.digest()
                    + "), not an image manifest or index: it cannot be used as an image");
        }
        return fromManifest(current, OciJson.read(blobs.read(current), OciManifest.class, "manifest "
                + current.digest() + " of " + source), blobs, source, repository, tag);
    }

    /** An image from a manifest already read and checked against {@code descriptor}. */
    public static OciImage fromManifest(Descriptor descriptor, OciManifest manifest, Blobs blobs, String source,
            String repository, Optional<String> tag) throws IOException {
        OciConfig config = OciJson.read(blobs.read(manifest.config()), OciConfig.class, "config "
                + manifest.config().digest() + " of " + source);
        List<OciImage.Layer> layers = new ArrayList<>();
        for (int i = 0; i < manifest.layers().size(); i++) {
            Descriptor layer = manifest.layers().get(i);
            layers.add(new OciImage.Layer(layer.mediaType(), "layer " + (i + 1) + " (" + layer.digest() + ") of "
                    + source, blobs.opener(layer)));
        }
        return new OciImage(source, repository, tag, Optional.of(descriptor.digest()), manifest.config().digest(),
                config, layers);
    }
}
