package dev.jetpack.engine.oci;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One image read from an OCI layout, a docker archive or a registry, resolved to one platform: what
 * {@link OciImageImporter} needs to build the tree and the appc manifest.
 *
 * @param source         where it came from, for messages, e.g. {@code oci:/tmp/layout:1.0}
 * @param repository     the image's name without tag, e.g. {@code 127.0.0.1:5000/team/app}; made an AC name later
 * @param tag            the tag it was found under, if any
 * @param manifestDigest the digest of its manifest; a docker archive has none
 * @param configDigest   the digest of its config, which fixes the config and every layer (by diff ID)
 * @param layers         base first, one per {@code rootfs.diff_ids} entry
 */
public record OciImage(String source, String repository, Optional<String> tag, Optional<Digest> manifestDigest,
                       Digest configDigest, OciConfig config, List<Layer> layers) {
    public OciImage {
        Objects.requireNonNull(config, "config");
        layers = List.copyOf(layers);
        List<Digest> diffIds = config.rootfs().diffIds();
        if (diffIds.size() != layers.size()) {
            throw new OciFormatException(source + " has " + layers.size() + " layers but its config lists "
                    + diffIds.size() + " diff IDs in rootfs.diff_ids: the image is inconsistent; refused");
        }
    }

    /** Opens a layer's blob; the stream checks the blob's digest at its end when there is one. */
    public interface BlobOpener {
        InputStream open() throws IOException;
    }

    /**
     * One layer.
     *
     * @param mediaType its media type; {@code null} in a docker archive (found by magic bytes)
     * @param what      names it for messages, e.g. "layer 2 (sha256:…)"
     */
    public record Layer(String mediaType, String what, BlobOpener opener) {
        public Layer {
            if (mediaType != null && mediaType.contains("zstd")) {
                throw new OciFormatException(what + " is compressed with zstd (" + mediaType + "), which jetpack"
                        + " does not read: copy the image with gzip layers (skopeo copy --dest-compress-format gzip)"
                        + " and use that copy");
            }
            if (mediaType != null && !mediaType.contains("tar")) {
                throw new OciFormatException(what + " has the media type " + mediaType + ", which is not a layer"
                        + " (expected " + OciMediaTypes.LAYER_GZIP + " or " + OciMediaTypes.LAYER_TAR + ")");
            }
        }
    }
}
