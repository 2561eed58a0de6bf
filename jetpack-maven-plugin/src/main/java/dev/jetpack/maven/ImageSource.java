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
 * <p>The engine fetches every kind ({@link #engineSpec}); coordinates are resolved there through
 * {@link MavenImageResolver}, i.e. by Maven (local repository, remote repositories or another module of the same
 * reactor). The command line's {@code mvn:groupId:artifactId:version[:classifier]} is accepted too.
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
        if (s.regionMatches(true, 0, "mvn:", 0, 4)) {
            // The command line's form: mvn:groupId:artifactId:version[:classifier], always of type aci.
            String[] parts = s.substring(4).split(":", -1);
            if (parts.length < 3 || parts.length > 4 || java.util.Arrays.stream(parts).anyMatch(String::isBlank)) {
                throw badCoordinates(spec, parameter);
            }
            return new ImageSource(s, Kind.COORDINATES, Optional.empty(), Optional.of(new MavenCoordinates(parts[0],
                    parts[1], "aci", parts.length == 4 ? parts[3] : "", parts[2])), Optional.empty());
        }
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

    /**
     * The source in the form the engine's fetch reads ({@code dev.jetpack.engine.fetch.ImageSource}): a path as
     * an absolute path, coordinates as {@code mvn:groupId:artifactId:version[:classifier]}, URLs and names as
     * written.
     *
     * @throws ConfigurationException for coordinates of another type than {@code aci}: only ACIs are images
     */
    public String engineSpec(String parameter) throws ConfigurationException {
        return switch (kind) {
            case PATH -> file.orElseThrow().toString();
            case COORDINATES -> {
                MavenCoordinates c = coordinates.orElseThrow();
                if (!c.extension().equals("aci")) {
                    throw new ConfigurationException("Parameter '" + parameter + "' names the artifact " + c + " of"
                            + " type " + c.extension() + ": an image is an artifact of type aci; write"
                            + " groupId:artifactId:version or groupId:artifactId:aci:classifier:version");
                }
                yield "mvn:" + c.groupId() + ":" + c.artifactId() + ":" + c.version()
                        + (c.classifier().isEmpty() ? "" : ":" + c.classifier());
            }
            default -> spec;
        };
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + spec;
    }
}
