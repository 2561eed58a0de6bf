package dev.jetpack.engine.oci;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * Reads and writes the OCI JSON documents. Writing is canonical (fields in declaration order, map keys sorted, no
 * whitespace, empty values left out), so the same content always has the same bytes and so the same digest.
 * Reading ignores unknown fields, as the spec requires of readers.
 */
public final class OciJson {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private OciJson() {
    }

    public static byte[] write(Object document) {
        try {
            return MAPPER.writeValueAsBytes(document);
        } catch (IOException e) {
            throw new IllegalStateException("an OCI document could not be written as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Parses {@code json} as {@code type}.
     *
     * @param what names the document in the error, e.g. "manifest sha256:… of 127.0.0.1:5000/app"
     * @throws OciFormatException when it is not valid JSON of that shape
     */
    public static <T> T read(byte[] json, Class<T> type, String what) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new OciFormatException(what + " is not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** The {@code mediaType} field of a manifest or index, or {@code null}: tells which of them a document is. */
    public static String mediaTypeOf(byte[] json, String what) {
        try {
            var node = MAPPER.readTree(json);
            var mediaType = node == null ? null : node.get("mediaType");
            return mediaType == null || !mediaType.isTextual() ? null : mediaType.asText();
        } catch (IOException e) {
            throw new OciFormatException(what + " is not valid JSON: " + e.getMessage(), e);
        }
    }
}
