package dev.jetpack.engine.manifest;

import java.util.List;
import java.util.Optional;

/**
 * One entry of a manifest's (or a dependency's) {@code labels} list: a name (an AC Identifier, checked by
 * {@link ManifestValidator}) and a free-form value.
 *
 * @param name  the label name; {@code null} only when the JSON omitted it (the validator reports that)
 * @param value the value; a missing JSON value reads as {@code ""}, as the reference parser does
 */
public record Label(String name, String value) {
    public Label {
        value = value == null ? "" : value;
    }

    /** The value of the first label called {@code name} in {@code labels}, if there is one. */
    static Optional<String> find(List<Label> labels, String name) {
        return labels.stream().filter(l -> name.equals(l.name())).map(Label::value).findFirst();
    }
}
