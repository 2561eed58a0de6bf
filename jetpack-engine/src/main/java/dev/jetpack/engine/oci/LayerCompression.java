package dev.jetpack.engine.oci;

import dev.jetpack.engine.aci.Compression;
import java.util.Locale;

/** How OCI layers are compressed: the two the image-spec says every reader MUST read. */
public enum LayerCompression {
    GZIP(Compression.GZIP, OciMediaTypes.LAYER_GZIP),
    NONE(Compression.NONE, OciMediaTypes.LAYER_TAR);

    private final Compression compression;
    private final String mediaType;

    LayerCompression(Compression compression, String mediaType) {
        this.compression = compression;
        this.mediaType = mediaType;
    }

    public Compression compression() {
        return compression;
    }

    public String mediaType() {
        return mediaType;
    }

    /** {@code gzip} or {@code none}, as users write it. */
    public static LayerCompression parse(String value) {
        for (LayerCompression candidate : values()) {
            if (candidate.name().equalsIgnoreCase(value.trim())) {
                return candidate;
            }
        }
        throw new OciFormatException("OCI layer compression '" + value + "' is not supported: use gzip or none");
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
