package dev.jetpack.engine.manifest;

/**
 * One way in which a manifest breaks the appc spec.
 *
 * @param field the JSON path of the offending field, e.g. {@code app.environment[2].name}
 * @param value the offending value as text, or {@code null} when the field is missing
 * @param rule  the rule broken, phrased so that it also says what a valid value looks like
 */
public record ManifestProblem(String field, String value, String rule) {
    @Override
    public String toString() {
        if (value == null) {
            return field + " is missing: " + rule;
        }
        return field + " = \"" + value + "\": " + rule;
    }
}
