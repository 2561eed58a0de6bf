package dev.jetpack.cli;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import picocli.CommandLine;

/**
 * Fixed timestamps for reproducible images, written as Maven's {@code project.build.outputTimestamp} is: an
 * RFC 3339 / ISO-8601 date-time ({@code 2024-01-01T00:00:00Z}) or seconds since the epoch. Without the option,
 * {@code SOURCE_DATE_EPOCH} (the reproducible-builds.org convention) is used when it is set.
 */
final class Timestamps {
    static final String SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH";

    private Timestamps() {
    }

    /** A picocli converter, so that a bad value is a usage error (exit 2) naming the option. */
    static final class Converter implements CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            return parse(value).orElseThrow(() -> new CommandLine.TypeConversionException("'" + value
                    + "' is not a timestamp: give an RFC 3339 date-time such as 2024-01-01T00:00:00Z, or seconds"
                    + " since the epoch"));
        }
    }

    static Optional<Instant> parse(String value) {
        String text = value.trim();
        if (text.matches("\\d{1,12}")) {
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(text)));
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The option's value, else SOURCE_DATE_EPOCH when set and valid, else none. */
    static Optional<Instant> orSourceDateEpoch(Instant option, Terminal terminal) {
        if (option != null) {
            return Optional.of(option);
        }
        String epoch = System.getenv(SOURCE_DATE_EPOCH);
        if (epoch == null || epoch.isBlank()) {
            return Optional.empty();
        }
        Optional<Instant> parsed = parse(epoch);
        if (parsed.isEmpty()) {
            terminal.warn(SOURCE_DATE_EPOCH + "='" + epoch + "' is not a number of seconds; it is ignored");
        }
        return parsed;
    }
}
