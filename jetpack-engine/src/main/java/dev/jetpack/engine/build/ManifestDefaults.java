package dev.jetpack.engine.build;

import dev.jetpack.engine.manifest.ImageManifest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a face (the Maven plugin: the project's coordinates and version) knows about an image before its
 * manifest exists: a name and labels that the manifest gets only where it has none of its own. The manifest's
 * own values always win, so a static or generated manifest stays in charge; these only fill gaps.
 *
 * @param name   the image name when the manifest has no {@code name}; empty: no default (a missing name is then
 *               an error of the manifest)
 * @param labels labels added when the manifest has no label of that name, in this order
 */
public record ManifestDefaults(Optional<String> name, Map<String, String> labels) {
    /** No defaults: the manifest is used as written. */
    public static final ManifestDefaults NONE = new ManifestDefaults(Optional.empty(), Map.of());

    public ManifestDefaults {
        Objects.requireNonNull(name, "name");
        labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    /**
     * The record's own format, written out (it is part of the build fingerprint, so it must not change): the
     * generated toString bootstraps method handles on first use, some 30 ms in the fresh JVM of every no-op build.
     */
    @Override
    public String toString() {
        return "ManifestDefaults[name=" + name + ", labels=" + labels + "]";
    }

    /** {@code manifest} with the defaults filled in where it has no value of its own. */
    public ImageManifest applyTo(ImageManifest manifest) {
        ImageManifest result = manifest;
        if ((result.name() == null || result.name().isEmpty()) && name.isPresent()) {
            result = result.withName(name.get());
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (result.label(label.getKey()).isEmpty()) {
                result = result.withLabel(label.getKey(), label.getValue());
            }
        }
        return result;
    }
}
