package dev.jetpack.engine.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An OCI content descriptor: what a blob is, its digest and its size (image-spec {@code descriptor.md}).
 *
 * @param platform only in image index entries; {@code null} elsewhere
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Descriptor(String mediaType, Digest digest, long size, Map<String, String> annotations,
                         Platform platform) {
    public Descriptor {
        Objects.requireNonNull(mediaType, "descriptor mediaType");
        Objects.requireNonNull(digest, "descriptor digest");
        if (size < 0) {
            throw new IllegalArgumentException("descriptor of " + digest + " has a negative size " + size);
        }
        annotations = annotations == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
    }

    public Descriptor(String mediaType, Digest digest, long size) {
        this(mediaType, digest, size, Map.of(), null);
    }

    public Descriptor withAnnotations(Map<String, String> newAnnotations) {
        return new Descriptor(mediaType, digest, size, newAnnotations, platform);
    }

    public Descriptor withPlatform(Platform newPlatform) {
        return new Descriptor(mediaType, digest, size, annotations, newPlatform);
    }

    /** The OCI platform of an index entry. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Platform(String architecture, String os, String variant) {
        public Platform {
            Objects.requireNonNull(architecture, "platform architecture");
            Objects.requireNonNull(os, "platform os");
        }
    }
}
