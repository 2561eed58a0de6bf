package dev.jetpack.engine.manifest;

import java.util.List;
import java.util.Optional;

/**
 * One entry of a manifest's {@code annotations} list: a name (an AC Identifier) and a free-form value.
 *
 * @param name  the annotation name; {@code null} only when the JSON omitted it (the validator reports that)
 * @param value the value; a missing JSON value reads as {@code ""}, as the reference parser does
 */
public record Annotation(String name, String value) {
    /** Seconds-precision build time that Jetpack stamps on every image it builds. */
    public static final String TIMESTAMP = "timestamp";
    /** Recognized by the spec: the image's creation date, RFC 3339. */
    public static final String CREATED = "created";
    /** Recognized by the spec: an http(s) URL with more information. */
    public static final String HOMEPAGE = "homepage";
    /** Recognized by the spec: an http(s) URL of the documentation. */
    public static final String DOCUMENTATION = "documentation";
    /** Recognized by the spec: free-form contact details. */
    public static final String AUTHORS = "authors";

    public Annotation {
        value = value == null ? "" : value;
    }

    static Optional<String> find(List<Annotation> annotations, String name) {
        return annotations.stream().filter(a -> name.equals(a.name())).map(Annotation::value).findFirst();
    }
}
