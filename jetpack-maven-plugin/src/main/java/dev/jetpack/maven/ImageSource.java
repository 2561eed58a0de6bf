package dev.jetpack.maven;

import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.manifest.ImageReference;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an image comes from, as written in {@code parentImage} (PARENT_IMAGE) or {@code images}: a file path, a
 * URL, an appc discovery name, or Maven coordinates.
 *
 * <p>The kinds are told apart by form, never by trying: a URL has {@code ://}; a path starts with {@code /},
 * {@code ./} or {@code ../} or ends in {@code .aci}; Maven coordinates have at least two colons and no slash
 * ({@code groupId:artifactId[:extension[:classifier]]:version}, extension {@code aci} when left out), which an
 * appc name cannot have (its one colon introduces the version); everything else is a discovery name
 * {@code NAME[:VERSION][,LABEL=VALUE...]}.
 *
 * <p>Coordinates are resolved by the plugin (local repository, remote repositories or another module of the
 * same reactor) and carried on as {@link #file()}; the engine only ever sees a file, a URL or a name.
 */
public record ImageSource(String spec, Kind kind, Optional<Path> file, Optional<MavenCoordinates> coordinates,
        Optional<ImageReference> reference) {

    public enum Kind {
        PATH, URL, NAME, COORDINATES
    }

    /** {@code groupId:artifactId[:extension[:classifier]]:version}. */
    public record MavenCoordinates(String groupId, String artifactId, String extension, String classifier,
            String version) {
        @Override
        public String toString() {
            return groupId + ":" + artifactId + ":" + extension + (classifier.isEmpty() ? "" : ":" + classifier)
                    + ":" + version;
        }
    }

    public ImageSource {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(kind, "kind");
    }

    /**
     * @param spec what the user wrote
     * @param basedir the directory relative paths are resolved against (the project's basedir)
     * @param parameter the parameter it came from, for error messages
     */
    public static ImageSource parse(String spec, Path basedir, String parameter) throws ConfigurationException {
        if (spec == null || spec.isBlank()) {
            throw new ConfigurationException("Parameter '" + parameter + "' is empty: give a path to an .aci file,"
                    + " a URL, a discovery name such as example.com/app:1.0, or Maven coordinates such as"
                    + " com.example:base:1.0");
        }
        String s = spec.trim();
        if (s.contains("://")) {
            return new ImageSource(s, Kind.URL, Optional.empty(), Optional.empty(), Optional.empty());
        }
        if (s.startsWith("/") || s.startsWith("./") || s.startsWith("../") || s.endsWith(".aci")) {
            Path file = basedir.resolve(s).normalize();
            return new ImageSource(s, Kind.PATH, Optional.of(file), Optional.empty(), Optional.empty());
        }
        String[] parts = s.split(":", -1);
        if (parts.length >= 3 && !s.contains("/")) {
            return new ImageSource(s, Kind.COORDINATES, Optional.empty(),
                    Optional.of(coordinates(s, parts, parameter)), Optional.empty());
        }
        try {
            return new ImageSource(s, Kind.NAME, Optional.empty(), Optional.empty(),
                    Optional.of(ImageReference.parse(s)));
        } catch (JetpackException e) {
            throw new ConfigurationException("Invalid image in parameter '" + parameter + "': " + e.getMessage(), e);
        }
    }

    private static MavenCoordinates coordinates(String spec, String[] parts, String parameter)
            throws ConfigurationException {
        for (String part : parts) {
            if (part.isBlank()) {
                throw badCoordinates(spec, parameter);
            }
        }
        return switch (parts.length) {
            case 3 -> new MavenCoordinates(parts[0], parts[1], "aci", "", parts[2]);
            case 4 -> new MavenCoordinates(parts[0], parts[1], parts[2], "", parts[3]);
            case 5 -> new MavenCoordinates(parts[0], parts[1], parts[2], parts[3], parts[4]);
            default -> throw badCoordinates(spec, parameter);
        };
    }

    private static ConfigurationException badCoordinates(String spec, String parameter) {
        return new ConfigurationException("Invalid Maven coordinates '" + spec + "' in parameter '" + parameter
                + "': write groupId:artifactId[:extension[:classifier]]:version, e.g. com.example:base:1.0 or"
                + " com.example:app:aci:image:1.0");
    }

    /** The same source with its coordinates resolved to a file. */
    public ImageSource withResolvedFile(Path resolved) {
        return new ImageSource(spec, kind, Optional.of(resolved), coordinates, reference);
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + spec
                + file.filter(f -> kind == Kind.COORDINATES).map(f -> " (" + f + ")").orElse("");
    }
}
