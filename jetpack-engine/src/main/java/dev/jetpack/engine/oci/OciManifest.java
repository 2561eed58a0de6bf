package dev.jetpack.engine.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An OCI image manifest (image-spec {@code manifest.md}): the config blob and the layers, base layer first.
 * Also reads Docker schema 2 manifests, which have the same shape.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record OciManifest(int schemaVersion, String mediaType, Descriptor config, List<Descriptor> layers,
                          Map<String, String> annotations) {
    public OciManifest {
        if (schemaVersion != 2) {
            throw new IllegalArgumentException("image manifest has schemaVersion " + schemaVersion
                    + ": only schemaVersion 2 (OCI, Docker schema 2) is supported");
        }
        Objects.requireNonNull(config, "manifest config");
        layers = layers == null ? List.of() : List.copyOf(layers);
        annotations = annotations == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
    }

    /** An OCI manifest of {@code config} and {@code layers}. */
    public static OciManifest of(Descriptor config, List<Descriptor> layers) {
        return new OciManifest(2, OciMediaTypes.MANIFEST, config, layers, Map.of());
    }
}
