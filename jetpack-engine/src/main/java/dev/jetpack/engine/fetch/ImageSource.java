package dev.jetpack.engine.fetch;

import dev.jetpack.engine.manifest.ImageReference;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Where an image comes from, as a user types it ({@code jetpack fetch ACI}, a plugin's parent image):
 *
 * <ul>
 *   <li>{@code mvn:groupId:artifactId:version[:classifier]}: a Maven artifact of type {@code aci};</li>
 *   <li>{@code https://...} or {@code http://...}: a URL;</li>
 *   <li>{@code file:...}, or a path: starting with {@code /}, {@code ./}, {@code ../} or {@code ~/}, ending in
 *       {@code .aci}, or naming an existing file;</li>
 *   <li>anything else: an image name with labels for discovery, e.g. {@code example.com/app:1.0,os=linux}.</li>
 * </ul>
 */
public sealed interface ImageSource {
    /** An ACI file on this machine (absolute, normalized). */
    record LocalFile(Path path) implements ImageSource {
        public LocalFile {
            path = path.toAbsolutePath().normalize();
        }
    }

    /** An ACI at an http(s) URL; its signature, if any, is expected at the URL plus {@code .asc}. */
    record Url(URI uri) implements ImageSource {
        public Url {
            Objects.requireNonNull(uri, "uri");
        }
    }

    /** A Maven artifact of type {@code aci}; {@code classifier} is null when none was given. */
    record MavenArtifact(String groupId, String artifactId, String version, String classifier)
            implements ImageSource {
        /** The coordinates as typed, without the {@code mvn:} scheme. */
        public String coordinates() {
            return groupId + ":" + artifactId + ":" + version + (classifier == null ? "" : ":" + classifier);
        }
    }

    /** An image name with labels, found through appc discovery (or in the store). */
    record Named(ImageReference reference) implements ImageSource {
        public Named {
            Objects.requireNonNull(reference, "reference");
        }
    }

    /** Parses {@code text}, resolving relative paths against the working directory. */
    static ImageSource parse(String text) {
        return parse(text, Path.of("").toAbsolutePath());
    }

    /** Parses {@code text}, resolving relative paths against {@code baseDirectory}. */
    static ImageSource parse(String text, Path baseDirectory) {
        if (text == null || text.isBlank()) {
            throw new FetchException("No image given: give a path, an https URL, mvn:GROUP:ARTIFACT:VERSION or an"
                    + " image name such as example.com/app:1.0");
        }
        String trimmed = text.trim();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (lower.startsWith("mvn:")) {
            return maven(trimmed);
        }
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            try {
                URI uri = URI.create(trimmed);
                if (uri.getHost() == null) {
                    throw new IllegalArgumentException("no host");
                }
                return new Url(uri);
            } catch (IllegalArgumentException e) {
                throw new FetchException("'" + trimmed + "' is not a valid URL (" + e.getMessage() + "). Write it"
                        + " like https://example.com/images/app-1.0.aci");
            }
        }
        if (lower.startsWith("file:")) {
            return new LocalFile(fileUrl(trimmed, baseDirectory));
        }
        if (trimmed.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            throw new FetchException("'" + trimmed + "' uses an unsupported URL scheme: images are fetched from"
                    + " https (or http when allowed), file: or mvn: sources");
        }
        if (looksLikePath(trimmed) || Files.exists(baseDirectory.resolve(trimmed))) {
            return new LocalFile(expandHome(trimmed, baseDirectory));
        }
        return new Named(ImageReference.parse(trimmed));
    }

    private static boolean looksLikePath(String text) {
        return text.startsWith("/") || text.startsWith("./") || text.startsWith("../") || text.startsWith("~/")
                || text.equals(".") || text.equals("..") || text.endsWith(".aci");
    }

    private static Path expandHome(String text, Path baseDirectory) {
        if (text.startsWith("~/")) {
            return Path.of(System.getProperty("user.home")).resolve(text.substring(2));
        }
        return baseDirectory.resolve(text);
    }

    private static Path fileUrl(String text, Path baseDirectory) {
        try {
            URI uri = URI.create(text);
            if (uri.isOpaque()) {
                // file:relative/path.aci
                return baseDirectory.resolve(uri.getSchemeSpecificPart());
            }
            return Path.of(uri);
        } catch (IllegalArgumentException e) {
            throw new FetchException("'" + text + "' is not a valid file: URL (" + e.getMessage() + "). Write it"
                    + " like file:///path/to/app.aci, or give the path itself");
        }
    }

    private static MavenArtifact maven(String text) {
        String[] parts = text.substring(4).split(":", -1);
        boolean valid = (parts.length == 3 || parts.length == 4);
        for (String part : parts) {
            valid &= !part.isBlank() && part.matches("[A-Za-z0-9_.\\-]+") && !part.equals("..") && !part.equals(".");
        }
        if (!valid) {
            throw new FetchException("'" + text + "' is not valid Maven coordinates: expected"
                    + " mvn:GROUP_ID:ARTIFACT_ID:VERSION[:CLASSIFIER] (the artifact's type is aci), e.g."
                    + " mvn:com.example:base-image:1.0");
        }
        return new MavenArtifact(parts[0], parts[1], parts[2], parts.length == 4 ? parts[3] : null);
    }
}
