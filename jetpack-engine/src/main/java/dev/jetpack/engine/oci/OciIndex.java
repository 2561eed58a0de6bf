package dev.jetpack.engine.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An OCI image index (image-spec {@code image-index.md}): the {@code index.json} of a layout, or a multi-platform
 * list from a registry (also Docker's manifest list, which has the same shape).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record OciIndex(int schemaVersion, String mediaType, List<Descriptor> manifests,
                       Map<String, String> annotations) {
    public OciIndex {
        if (schemaVersion != 2) {
            throw new IllegalArgumentException("image index has schemaVersion " + schemaVersion
                    + ": only schemaVersion 2 is supported");
        }
        manifests = manifests == null ? List.of() : List.copyOf(manifests);
        annotations = annotations == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
    }

    public static OciIndex of(List<Descriptor> manifests) {
        return new OciIndex(2, OciMediaTypes.INDEX, manifests, Map.of());
    }
}
