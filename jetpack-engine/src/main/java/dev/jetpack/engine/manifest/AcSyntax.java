package dev.jetpack.engine.manifest;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/** The lexical types of the appc spec (spec/types.md), as predicates. */
public final class AcSyntax {
    /** AC Identifier: names of images, labels, annotations and isolators, e.g. {@code example.com/app}. */
    public static final Pattern AC_IDENTIFIER = Pattern.compile("[a-z0-9]+([-._~/][a-z0-9]+)*");
    /** AC Name: names of mount points and ports, e.g. {@code ftp-data}. */
    public static final Pattern AC_NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    /** Environment variable names: POSIX names plus '.' and '-', as the spec allows for practical reasons. */
    public static final Pattern ENVIRONMENT_NAME = Pattern.compile("[A-Za-z_][A-Za-z_0-9.-]*");

    private static final String NUMERIC = "0|[1-9][0-9]*";
    private static final String PRE_ID = "(?:" + NUMERIC + "|[0-9]*[A-Za-z-][0-9A-Za-z-]*)";
    private static final Pattern SEMVER = Pattern.compile("(" + NUMERIC + ")\\.(" + NUMERIC + ")\\.(" + NUMERIC + ")"
            + "(?:-" + PRE_ID + "(?:\\." + PRE_ID + ")*)?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?");
    // RFC 3339 section 5.6 date-time with the upper-case 'T' and 'Z' the appc spec shows; the calendar check
    // (month 13, day 32, hour 24) is left to java.time.
    private static final Pattern RFC3339 = Pattern.compile(
            "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})");

    private AcSyntax() {
    }

    public static boolean isAcIdentifier(String text) {
        return text != null && AC_IDENTIFIER.matcher(text).matches();
    }

    public static boolean isAcName(String text) {
        return text != null && AC_NAME.matcher(text).matches();
    }

    public static boolean isEnvironmentName(String text) {
        return text != null && ENVIRONMENT_NAME.matcher(text).matches();
    }

    /** A SemVer 2.0.0 version, e.g. {@code 0.8.11} or {@code 1.0.0-rc.1+build.5}. */
    public static boolean isSemVer(String text) {
        return text != null && SEMVER.matcher(text).matches();
    }

    /** An RFC 3339 date-time, e.g. {@code 2014-10-27T19:32:27.67021798Z} or {@code 2026-01-01T01:00:00+01:00}. */
    public static boolean isRfc3339(String text) {
        if (text == null || !RFC3339.matcher(text).matches()) {
            return false;
        }
        try {
            OffsetDateTime.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** An absolute http or https URL with a host, e.g. {@code https://example.com/docs}. */
    public static boolean isHttpUrl(String text) {
        if (text == null) {
            return false;
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https"))
                    && uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty();
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
