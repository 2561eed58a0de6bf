package dev.jetpack.engine.manifest;

import dev.jetpack.engine.io.JsonTrees;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jetpack.engine.JetpackException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes image manifests as JSON.
 *
 * <p><b>Reading</b> accepts what the Go reference parser accepts: unknown fields are ignored, keys match
 * case-insensitively, {@code null} counts as absent. It does not check the spec (use {@link ManifestValidator});
 * it fails only on broken JSON or on a value of the wrong JSON type, with an {@link InvalidManifestException}
 * naming the source, the position or field, and the fix.
 *
 * <p><b>Writing</b> is canonical, so that the same manifest always gives the same bytes (and an image built twice
 * gets one image ID): keys in a fixed order (the order of the record components, which follows the spec: e.g.
 * acKind, acVersion, name, labels, app, annotations, dependencies, pathWhitelist), list elements in their given
 * order, no {@code null}s, no empty lists or maps, false booleans left out (false is the spec's default),
 * isolator values with their keys sorted. Pretty output indents by two spaces and ends with a newline; compact
 * output has no whitespace at all. Writing does not validate.
 */
public final class ManifestCodec {
    private ManifestCodec() {
    }

    public static ImageManifest read(byte[] json) {
        return read(json, "(given as bytes)");
    }

    /**
     * @param source how to name the manifest in error messages, e.g. its file path or
     *               {@code "manifest of image.aci"}
     */
    public static ImageManifest read(byte[] json, String source) {
        JsonNode root;
        try {
            root = JsonTrees.read(json); // content after the object is an error, as in the spec's single document
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new InvalidManifestException("Invalid image manifest " + source + ": it is not valid JSON" + where
                    + " (" + e.getOriginalMessage() + "). Fix the JSON syntax there (a missing comma, quote or"
                    + " bracket is the usual cause) and try again.", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: the bytes are in memory
        }
        if (root == null || root.isMissingNode()) {
            throw new InvalidManifestException("Invalid image manifest " + source + ": it is empty. A manifest"
                    + " is a JSON object such as {\"acKind\": \"ImageManifest\", \"acVersion\": \""
                    + ImageManifest.SPEC_VERSION + "\", \"name\": \"example.com/app\"}.");
        }
        return new ManifestTreeReader(source).manifest(root);
    }

    public static ImageManifest read(InputStream in) {
        return read(in, "(read from a stream)");
    }

    /** Reads the whole stream (without closing it) and parses it; see {@link #read(byte[], String)}. */
    public static ImageManifest read(InputStream in, String source) {
        byte[] json;
        try {
            json = in.readAllBytes();
        } catch (IOException e) {
            throw new JetpackException("Cannot read image manifest " + source + ": " + e.getMessage()
                    + ". Check that the source is readable and complete.", e);
        }
        return read(json, source);
    }

    /** Reads the manifest file {@code file}; error messages name the file. */
    public static ImageManifest read(Path file) {
        byte[] json;
        try {
            json = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidManifestException("Image manifest " + file + " does not exist. Create it, or give"
                    + " the path of an existing manifest file.", e);
        } catch (IOException e) {
            throw new JetpackException("Cannot read image manifest " + file + ": " + e.getMessage()
                    + ". Check the file's permissions.", e);
        }
        return read(json, file.toString());
    }

    /** The canonical JSON of {@code manifest}, pretty (2-space indent, final newline) or compact. */
    public static byte[] write(ImageManifest manifest, boolean pretty) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = JsonTrees.generator(out)) {
            if (pretty) {
                DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
                g.setPrettyPrinter(new DefaultPrettyPrinter()
                        .withSeparators(Separators.createDefaultInstance()
                                .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                        .withObjectIndenter(indenter)
                        .withArrayIndenter(indenter));
            }
            new Writer(g).manifest(manifest);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: the output is in memory
        }
        if (pretty) {
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** Writes the fields in canonical order, leaving out what is absent. */
    private static final class Writer {
        private final JsonGenerator g;

        Writer(JsonGenerator g) {
            this.g = g;
        }

        void manifest(ImageManifest m) throws IOException {
            g.writeStartObject();
            string("acKind", m.acKind());
            string("acVersion", m.acVersion());
            string("name", m.name());
            labels("labels", m.labels());
            if (m.app() != null) {
                g.writeFieldName("app");
                app(m.app());
            }
            if (!m.annotations().isEmpty()) {
                g.writeArrayFieldStart("annotations");
                for (Annotation a : m.annotations()) {
                    nameValue(a.name(), a.value());
                }
                g.writeEndArray();
            }
            if (!m.dependencies().isEmpty()) {
                g.writeArrayFieldStart("dependencies");
                for (Dependency d : m.dependencies()) {
                    g.writeStartObject();
                    string("imageName", d.imageName());
                    string("imageID", d.imageID());
                    labels("labels", d.labels());
                    if (d.size() != null) {
                        g.writeNumberField("size", d.size());
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            strings("pathWhitelist", m.pathWhitelist());
            g.writeEndObject();
        }

        private void app(App app) throws IOException {
            g.writeStartObject();
            strings("exec", app.exec());
            string("user", app.user());
            string("group", app.group());
            if (!app.supplementaryGIDs().isEmpty()) {
                g.writeArrayFieldStart("supplementaryGIDs");
                for (long gid : app.supplementaryGIDs()) {
                    g.writeNumber(gid);
                }
                g.writeEndArray();
            }
            if (!app.eventHandlers().isEmpty()) {
                g.writeArrayFieldStart("eventHandlers");
                for (EventHandler handler : app.eventHandlers()) {
                    g.writeStartObject();
                    string("name", handler.name());
                    strings("exec", handler.exec());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            string("workingDirectory", app.workingDirectory());
            if (!app.environment().isEmpty()) {
                g.writeArrayFieldStart("environment");
                for (EnvironmentVariable variable : app.environment()) {
                    nameValue(variable.name(), variable.value());
                }
                g.writeEndArray();
            }
            if (!app.isolators().isEmpty()) {
                g.writeArrayFieldStart("isolators");
                for (Isolator isolator : app.isolators()) {
                    g.writeStartObject();
                    string("name", isolator.name());
                    if (isolator.value() != null) {
                        g.writeFieldName("value");
                        sortedTree(isolator.value());
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (!app.mountPoints().isEmpty()) {
                g.writeArrayFieldStart("mountPoints");
                for (MountPoint mount : app.mountPoints()) {
                    g.writeStartObject();
                    string("name", mount.name());
                    string("path", mount.path());
                    if (mount.readOnly()) {
                        g.writeBooleanField("readOnly", true);
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (!app.ports().isEmpty()) {
                g.writeArrayFieldStart("ports");
                for (Port port : app.ports()) {
                    g.writeStartObject();
                    string("name", port.name());
                    string("protocol", port.protocol());
                    if (port.port() != null) {
                        g.writeNumberField("port", port.port());
                    }
                    if (port.count() != null) {
                        g.writeNumberField("count", port.count());
                    }
                    if (port.socketActivated()) {
                        g.writeBooleanField("socketActivated", true);
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            stringMap("userAnnotations", app.userAnnotations());
            stringMap("userLabels", app.userLabels());
            g.writeEndObject();
        }

        private void labels(String field, List<Label> labels) throws IOException {
            if (!labels.isEmpty()) {
                g.writeArrayFieldStart(field);
                for (Label label : labels) {
                    nameValue(label.name(), label.value());
                }
                g.writeEndArray();
            }
        }

        private void nameValue(String name, String value) throws IOException {
            g.writeStartObject();
            string("name", name);
            string("value", value);
            g.writeEndObject();
        }

        private void string(String field, String value) throws IOException {
            if (value != null) {
                g.writeStringField(field, value);
            }
        }

        private void strings(String field, List<String> values) throws IOException {
            if (!values.isEmpty()) {
                g.writeArrayFieldStart(field);
                for (String value : values) {
                    g.writeString(value);
                }
                g.writeEndArray();
            }
        }

        private void stringMap(String field, Map<String, String> map) throws IOException {
            if (!map.isEmpty()) {
                g.writeObjectFieldStart(field);
                for (Map.Entry<String, String> entry : map.entrySet()) { // already sorted by key
                    g.writeStringField(entry.getKey(), entry.getValue());
                }
                g.writeEndObject();
            }
        }

        /** Raw JSON with object keys sorted at every level, so that equal trees give equal bytes. */
        private void sortedTree(JsonNode node) throws IOException {
            if (node.isObject()) {
                List<String> names = new ArrayList<>();
                node.fieldNames().forEachRemaining(names::add);
                names.sort(null);
                g.writeStartObject();
                for (String name : names) {
                    g.writeFieldName(name);
                    sortedTree(node.get(name));
                }
                g.writeEndObject();
            } else if (node.isArray()) {
                g.writeStartArray();
                for (Iterator<JsonNode> it = node.elements(); it.hasNext();) {
                    sortedTree(it.next());
                }
                g.writeEndArray();
            } else {
                JsonTrees.write(node, g);
            }
        }
    }
}
