package dev.jetpack.engine.manifest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One entry of {@code app.isolators}. The value's shape depends on the isolator's name (e.g.
 * {@code resource/memory} has {@code request} and {@code limit}) and executors define their own, so it is kept
 * as the raw JSON it was read from and written back unchanged (apart from canonical key order).
 *
 * @param name  an AC Identifier such as {@code resource/cpu}; {@code null} when the JSON omitted it
 * @param value the raw JSON value; {@code null} when the JSON omitted it. Stored and returned as private copies,
 *              so that the record stays immutable although Jackson's nodes are not.
 */
public record Isolator(String name, JsonNode value) {
    public Isolator {
        value = value == null || value.isNull() ? null : value.deepCopy();
    }

    @Override
    public JsonNode value() {
        return value == null ? null : value.deepCopy();
    }
}
