package dev.jetpack.engine.manifest;

import dev.jetpack.engine.JetpackException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An image asked for by name and labels, in the form users type it: {@code example.com/app:1.0,os=linux,arch=amd64}.
 *
 * <p>The part after {@code :} up to the first comma is the {@code version} label; {@code ,key=value} pairs add
 * further labels. Nothing is defaulted here: discovery fills in {@code latest} and the host's os/arch, the store
 * picks the newest version when none is given.
 */
public record ImageReference(String name, Map<String, String> labels) {
    public ImageReference {
        if (name == null || name.isEmpty()) {
            throw new JetpackException("An image reference needs a name, e.g. example.com/app:1.0");
        }
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    public static ImageReference parse(String text) {
        if (text == null || text.isBlank()) {
            throw new JetpackException("Empty image reference: give NAME[:VERSION][,LABEL=VALUE...],"
                    + " e.g. example.com/app:1.0,os=linux");
        }
        String[] parts = text.trim().split(",", -1);
        String head = parts[0];
        Map<String, String> labels = new LinkedHashMap<>();
        String name = head;
        int colon = head.lastIndexOf(':');
        if (colon >= 0) {
            name = head.substring(0, colon);
            labels.put("version", head.substring(colon + 1));
        }
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq <= 0) {
                throw new JetpackException("Invalid label '" + parts[i] + "' in image reference '" + text
                        + "': labels are written KEY=VALUE after a comma, e.g. " + name + ",os=linux");
            }
            String key = parts[i].substring(0, eq);
            if (labels.containsKey(key)) {
                throw new JetpackException("Label '" + key + "' is given twice in image reference '" + text
                        + "': give each label once");
            }
            labels.put(key, parts[i].substring(eq + 1));
        }
        if (name.isEmpty()) {
            throw new JetpackException("Image reference '" + text + "' has no name before ':'");
        }
        return new ImageReference(name, labels);
    }

    public Optional<String> label(String key) {
        return Optional.ofNullable(labels.get(key));
    }

    public ImageReference withLabel(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(labels);
        copy.put(key, value);
        return new ImageReference(name, copy);
    }

    /** The canonical text form, which {@link #parse} reads back to an equal reference. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(name);
        labels.forEach((key, value) -> {
            if (key.equals("version")) {
                return;
            }
            text.append(',').append(key).append('=').append(value);
        });
        label("version").ifPresent(version -> text.insert(name.length(), ":" + version));
        return text.toString();
    }
}
