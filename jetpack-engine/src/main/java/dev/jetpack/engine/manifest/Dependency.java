package dev.jetpack.engine.manifest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One entry of {@code dependencies}: an image rendered into the rootfs before this one's files.
 *
 * @param imageName the dependency's name, an AC Identifier; {@code null} when the JSON omitted it
 * @param imageID   the required image ID ({@code sha512-…}), or {@code null} to accept any matching image
 * @param labels    labels the dependency must have; never null
 * @param size      the expected size in bytes, or {@code null} when not given
 */
public record Dependency(String imageName, String imageID, List<Label> labels, Long size) {
    public Dependency {
        labels = labels == null ? List.of() : List.copyOf(labels);
    }

    public Optional<String> label(String name) {
        return Label.find(labels, name);
    }

    /** The image this dependency asks for, by name and labels (its image ID, if any, is checked apart). */
    public ImageReference reference() {
        Map<String, String> byName = new LinkedHashMap<>();
        labels.forEach(label -> byName.put(label.name(), label.value()));
        return new ImageReference(imageName, byName);
    }
}
