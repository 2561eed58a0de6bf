package dev.jetpack.engine.manifest;

/**
 * One entry of {@code app.environment}.
 *
 * @param name  the variable name; {@code null} only when the JSON omitted it (the validator reports that)
 * @param value the value, never substituted; a missing JSON value reads as {@code ""}
 */
public record EnvironmentVariable(String name, String value) {
    public EnvironmentVariable {
        value = value == null ? "" : value;
    }
}
