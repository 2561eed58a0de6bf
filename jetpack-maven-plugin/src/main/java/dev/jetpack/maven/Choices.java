package dev.jetpack.maven;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Parses a string parameter into one of a fixed set of values. The parameters are strings rather than enums so
 * that a wrong value gets our message (parameter, value, accepted values) instead of Maven's converter error.
 */
final class Choices {
    private Choices() {
    }

    /**
     * @param value the configured value; null or blank gives {@code defaultValue}
     * @param parameter the parameter name, for the message
     * @param userProperty the user property that sets it, or null
     */
    static <E extends Enum<E>> E parse(Class<E> type, String value, E defaultValue, String parameter,
            String userProperty) throws ConfigurationException {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        String wanted = value.trim().toUpperCase(Locale.ROOT);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(wanted)) {
                return constant;
            }
        }
        String accepted = Arrays.stream(type.getEnumConstants()).map(Choices::display)
                .collect(Collectors.joining(", "));
        throw new ConfigurationException("Invalid value '" + value + "' for parameter '" + parameter + "'"
                + (userProperty == null ? "" : " (user property " + userProperty + ")") + ": accepted values are "
                + accepted + " (default " + display(defaultValue) + ")");
    }

    /** How users write a choice: lower case. */
    static String display(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }
}
