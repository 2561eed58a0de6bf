package dev.jetpack.engine.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Maps a parsed JSON tree to an {@link ImageManifest} the way the Go reference parser ({@code encoding/json})
 * does: keys match field names case-insensitively (the spec's own example spells {@code supplementaryGids}),
 * when a key appears twice the last one wins, unknown keys are ignored and {@code null} means "absent". A value
 * of the wrong JSON type fails, naming its field path. Spec rules are not checked here (see
 * {@link ManifestValidator}), so partial manifests read fine.
 */
final class ManifestTreeReader {
    private final String source;

    ManifestTreeReader(String source) {
        this.source = source;
    }

    ImageManifest manifest(JsonNode root) {
        Map<String, JsonNode> f = fields(root, "the top level");
        return new ImageManifest(
                string(f, "acKind", "acKind"),
                string(f, "acVersion", "acVersion"),
                string(f, "name", "name"),
                list(f, "labels", "labels", this::label),
                object(f, "app", "app", this::app),
                list(f, "annotations", "annotations", this::annotation),
                list(f, "dependencies", "dependencies", this::dependency),
                list(f, "pathWhitelist", "pathWhitelist", this::string));
    }

    private App app(JsonNode node, String path) {
        Map<String, JsonNode> f = fields(node, path);
        String workingDirectory = string(f, "workingDirectory", path + ".workingDirectory");
        return new App(
                list(f, "exec", path + ".exec", this::string),
                string(f, "user", path + ".user"),
                string(f, "group", path + ".group"),
                list(f, "supplementaryGIDs", path + ".supplementaryGIDs", (n, p) -> integer(n, p, Long.MIN_VALUE, Long.MAX_VALUE)),
                list(f, "eventHandlers", path + ".eventHandlers", this::eventHandler),
                // The reference parser treats "" like an absent field (omitempty); so do we, so that it is
                // not written back as an invalid relative path.
                workingDirectory == null || workingDirectory.isEmpty() ? null : workingDirectory,
                list(f, "environment", path + ".environment", this::environmentVariable),
                list(f, "isolators", path + ".isolators", this::isolator),
                list(f, "mountPoints", path + ".mountPoints", this::mountPoint),
                list(f, "ports", path + ".ports", this::port),
                stringMap(f, "userAnnotations", path + ".userAnnotations"),
                stringMap(f, "userLabels", path + ".userLabels"));
    }

    private Label label(JsonNode node, String path) {
        Map<String, JsonNode> f = fields(node, path);
        return new Label(string(f, "name", path + ".name"), string(f, "value", path + ".value"));
    }

    private Annotation annotation(JsonNode node, String path) {
        Map<String, JsonNode> f = fields(node, path);
        return new Annotation(string(f, "name", path + ".name"), string(f, "value", path + ".value"));
    }

    private EnvironmentVariable environmentVariable(JsonNode node, String path) {
        Map<String, JsonNode> f = fields(node, path);
        return new EnvironmentVariable(string(f, "name", path + ".name"), string(f, "value", path + ".value"));
    }

    private EventHandler eventHandler(JsonNode node, String path) {
        Map<String, JsonNode> f = fields(node, path);
        return new EventHandler(string(f, "name", path + ".name"), list(f, "exec", path + ".exec", this::string));
    }

    private Isolator isolator(JsonNode node, String path) {
        Map<String, JsonNode> f = fields(node, path);
        return new Isolator(string(f, "name", path + ".name"), f.get("value"));
    }

    private MountPoint mountPoint(JsonNode node, String path) {
        Map<String, JsonNode> f = fields(node, path);
        Boolean readOnly = bool(f, "readOnly", path + ".readOnly");
        return new MountPoint(string(f, "name", path + ".name"), string(f, "path", path + ".path"),
                readOnly != null && readOnly);
    }

    private Port port(JsonNode node, String path) {
        Map<String, JsonNode> f = fields(node, path);
        Long port = integer(f, "port", path + ".port", Integer.MIN_VALUE, Integer.MAX_VALUE);
        Long count = integer(f, "count", path + ".count", Integer.MIN_VALUE, Integer.MAX_VALUE);
        Boolean socketActivated = bool(f, "socketActivated", path + ".socketActivated");
        return new Port(string(f, "name", path + ".name"), string(f, "protocol", path + ".protocol"),
                port == null ? null : port.intValue(), count == null ? null : count.intValue(),
                socketActivated != null && socketActivated);
    }

    private Dependency dependency(JsonNode node, String path) {
        Map<String, JsonNode> f = fields(node, path);
        return new Dependency(
                string(f, "imageName", path + ".imageName"),
                string(f, "imageID", path + ".imageID"),
                list(f, "labels", path + ".labels", this::label),
                integer(f, "size", path + ".size", Long.MIN_VALUE, Long.MAX_VALUE));
    }

    /** The object's fields keyed by lower-cased name; a later key replaces an earlier one, as in Go. */
    private Map<String, JsonNode> fields(JsonNode node, String path) {
        if (!node.isObject()) {
            throw typeError(path, "a JSON object {...}", node);
        }
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        node.properties().forEach(e -> fields.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
        return fields;
    }

    private static JsonNode present(Map<String, JsonNode> fields, String key) {
        JsonNode node = fields.get(key.toLowerCase(Locale.ROOT));
        return node == null || node.isNull() ? null : node;
    }

    private String string(Map<String, JsonNode> fields, String key, String path) {
        JsonNode node = present(fields, key);
        return node == null ? null : string(node, path);
    }

    private String string(JsonNode node, String path) {
        if (node.isNull()) {
            return ""; // Go decodes null inside a string list as ""
        }
        if (!node.isTextual()) {
            throw typeError(path, "a string", node);
        }
        return node.textValue();
    }

    private Boolean bool(Map<String, JsonNode> fields, String key, String path) {
        JsonNode node = present(fields, key);
        if (node == null) {
            return null;
        }
        if (!node.isBoolean()) {
            throw typeError(path, "true or false", node);
        }
        return node.booleanValue();
    }

    private Long integer(Map<String, JsonNode> fields, String key, String path, long min, long max) {
        JsonNode node = present(fields, key);
        return node == null ? null : integer(node, path, min, max);
    }

    private Long integer(JsonNode node, String path, long min, long max) {
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
            throw typeError(path, "a whole number" + (max == Long.MAX_VALUE ? "" : " up to " + max), node);
        }
        return node.longValue();
    }

    private <T> T object(Map<String, JsonNode> fields, String key, String path,
            BiFunction<JsonNode, String, T> reader) {
        JsonNode node = present(fields, key);
        return node == null ? null : reader.apply(node, path);
    }

    private <T> List<T> list(Map<String, JsonNode> fields, String key, String path,
            BiFunction<JsonNode, String, T> elementReader) {
        JsonNode node = present(fields, key);
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            throw typeError(path, "a JSON array [...]", node);
        }
        List<T> elements = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            elements.add(elementReader.apply(node.get(i), path + "[" + i + "]"));
        }
        return elements;
    }

    private Map<String, String> stringMap(Map<String, JsonNode> fields, String key, String path) {
        JsonNode node = present(fields, key);
        if (node == null) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw typeError(path, "a JSON object of strings", node);
        }
        Map<String, String> map = new LinkedHashMap<>();
        // Map keys are data, not field names: they keep their case.
        node.properties().forEach(e -> map.put(e.getKey(), string(e.getValue(), path + "." + e.getKey())));
        return map;
    }

    private InvalidManifestException typeError(String path, String expected, JsonNode found) {
        String shown = found.toString();
        if (shown.length() > 60) {
            shown = shown.substring(0, 57) + "...";
        }
        return new InvalidManifestException("Invalid image manifest " + source + ": " + path + " must be "
                + expected + ", but is " + kind(found) + " " + shown + ". Change the value's type in the manifest.");
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "a value";
        };
    }
}
