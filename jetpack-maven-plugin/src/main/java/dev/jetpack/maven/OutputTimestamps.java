package dev.jetpack.maven;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Reads {@code project.build.outputTimestamp}, the property by which Maven users ask for reproducible output.
 *
 * <p>Same rules as Maven's own archivers, so that one property makes the jar and the ACI reproducible alike:
 * an ISO-8601 date-time with an offset ({@code 2026-01-01T00:00:00Z}, {@code 2026-01-01T01:00:00+01:00}) or a
 * number of seconds since the epoch ({@code 1767225600}, what {@code git log -1 --format=%ct} gives); an unset
 * or empty value, or any one-character value (conventionally {@code -}), means "not reproducible". Fractions of
 * a second are dropped: tar headers carry whole seconds.
 */
public final class OutputTimestamps {
    /** The project property this class reads, named in error messages. */
    public static final String PROPERTY = "project.build.outputTimestamp";

    private OutputTimestamps() {
    }

    /**
     * @param value the property's value, may be null
     * @return the instant every time in the image is set to, or empty when reproducible output is off
     * @throws ConfigurationException when the value is neither off, nor epoch seconds, nor ISO-8601
     */
    public static Optional<Instant> parse(String value) throws ConfigurationException {
        if (value == null) {
            return Optional.empty();
        }
        String trimmed = value.trim();
        if (trimmed.length() <= 1) {
            return Optional.empty();
        }
        if (trimmed.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Instant.ofEpochSecond(Long.parseLong(trimmed)));
            } catch (NumberFormatException | DateTimeException e) {
                throw invalid(value, e);
            }
        }
        try {
            Instant instant = OffsetDateTime.parse(trimmed, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            return Optional.of(instant.truncatedTo(ChronoUnit.SECONDS));
        } catch (DateTimeException e) {
            throw invalid(value, e);
        }
    }

    private static ConfigurationException invalid(String value, Exception cause) {
        return new ConfigurationException("Invalid " + PROPERTY + " '" + value + "': expected an ISO-8601 date-time"
                + " with offset (e.g. 2026-01-01T00:00:00Z), seconds since the epoch (e.g. 1767225600), or a"
                + " single character such as '-' to turn reproducible output off", cause);
    }
}
