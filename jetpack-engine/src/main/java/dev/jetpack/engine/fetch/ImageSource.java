package dev.jetpack.engine.fetch;

import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.manifest.ImageReference;
import dev.jetpack.engine.oci.registry.RegistryReference;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an image comes from, as a user types it ({@code jetpack fetch ACI}, a plugin's parent image):
 *
 * <ul>
 *   <li>{@code sha512-...}: an image ID or ID prefix, of an image in the store;</li>
 *   <li>{@code mvn:groupId:artifactId:version[:classifier]}, or Maven's own
 *       {@code groupId:artifactId[:aci[:classifier]]:version} (two colons or more and no slash, which an image
 *       name cannot have): a Maven artifact of type {@code aci};</li>
 *   <li>{@code https://...} or {@code http://...}: a URL;</li>
 *   <li>{@code oci:DIR[:TAG]}, {@code docker-archive:FILE[:NAME:TAG]} and {@code docker://HOST/REPO:TAG} (skopeo's
 *       spellings): an OCI image layout, a {@code docker save} archive, an image in a registry;</li>
 *   <li>{@code file:...}, or a path: starting with {@code /}, {@code ./}, {@code ../} or {@code ~/}, ending in
 *       {@code .aci}, or naming an existing file;</li>
 *   <li>anything else: an image name with labels for discovery, e.g. {@code example.com/app:1.0,os=linux}.</li>
 * </ul>
 *
 * <p>The kinds are told apart by form, never by trying, so that a source is parsed once, where the user's text
 * enters, and passed on typed.
 */
public sealed interface ImageSource {
    /** An image ID ({@code sha512-} and the digest, or a prefix of it): looked up in the store only. */
    record StoredId(String idOrPrefix) implements ImageSource {
        public StoredId {
            Objects.requireNonNull(idOrPrefix, "idOrPrefix");
        }
    }

    /** An ACI file on this machine (absolute, normalized). */
    record LocalFile(Path path) implements ImageSource {
        public LocalFile {
            path = path.toAbsolutePath().normalize();
        }

        /*
         * The record's own toString, equals and hashCode, written out: the generated ones bootstrap method handles
         * on first use, some 30 ms in the fresh JVM of every Maven build, and a no-op build calls them (the plugin
         * keys the parent it fetched on the source).
         */
        @Override
        public String toString() {
            return "LocalFile[path=" + path + "]";
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof LocalFile file && path.equals(file.path);
        }

        @Override
        public int hashCode() {
            return path.hashCode();
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

    /** An OCI image layout directory and, when it holds several images, the tag of one ({@code oci:DIR[:TAG]}). */
    record OciLayoutSource(Path directory, Optional<String> tag) implements ImageSource {
        public OciLayoutSource {
            directory = directory.toAbsolutePath().normalize();
            Objects.requireNonNull(tag, "tag");
        }

        @Override
        public String toString() {
            return "oci:" + directory + tag.map(t -> ":" + t).orElse("");
        }
    }

    /**
     * A {@code docker save} archive and, when it holds several images, the {@code NAME:TAG} of one
     * ({@code docker-archive:FILE[:NAME:TAG]}).
     */
    record DockerArchive(Path file, Optional<String> reference) implements ImageSource {
        public DockerArchive {
            file = file.toAbsolutePath().normalize();
            Objects.requireNonNull(reference, "reference");
        }

        @Override
        public String toString() {
            return "docker-archive:" + file + reference.map(r -> ":" + r).orElse("");
        }
    }

    /** An image in a registry ({@code docker://HOST/REPOSITORY[:TAG][@DIGEST]}). */
    record DockerRegistry(RegistryReference reference) implements ImageSource {
        public DockerRegistry {
            Objects.requireNonNull(reference, "reference");
        }

        @Override
        public String toString() {
            return "docker://" + reference;
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
        if (trimmed.startsWith(ImageId.PREFIX)) {
            return new StoredId(trimmed);
        }
        if (lower.startsWith("mvn:")) {
            return maven(trimmed);
        }
        if (lower.startsWith("oci:") || lower.startsWith("docker-archive:") || lower.startsWith("docker://")) {
            return ociSource(trimmed, baseDirectory);
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
        if (trimmed.chars().filter(c -> c == ':').count() >= 2 && !trimmed.contains("/")) {
            return mavenCoordinates(trimmed);
        }
        return new Named(ImageReference.parse(trimmed));
    }

    /*
     * skopeo's transports: the path ends at the first colon after the transport name (a path with a colon cannot
     * be named this way, as with skopeo), the rest names the image inside.
     */
    private static ImageSource ociSource(String text, Path baseDirectory) {
        if (text.regionMatches(true, 0, "docker://", 0, "docker://".length())) {
            return new DockerRegistry(RegistryReference.parse(text));
        }
        boolean layout = text.regionMatches(true, 0, "oci:", 0, "oci:".length());
        String rest = text.substring(layout ? "oci:".length() : "docker-archive:".length());
        int colon = rest.indexOf(':');
        String path = colon < 0 ? rest : rest.substring(0, colon);
        Optional<String> inside = colon < 0 || colon == rest.length() - 1 ? Optional.empty()
                : Optional.of(rest.substring(colon + 1));
        if (path.isBlank()) {
            throw new FetchException("'" + text + "' names no " + (layout ? "directory" : "file") + ": write "
                    + (layout ? "oci:DIRECTORY[:TAG], e.g. oci:target/layout:1.0"
                    : "docker-archive:FILE[:NAME:TAG], e.g. docker-archive:target/app.tar"));
        }
        Path resolved = expandHome(path, baseDirectory);
        return layout ? new OciLayoutSource(resolved, inside) : new DockerArchive(resolved, inside);
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

    /** The command line's form: {@code mvn:groupId:artifactId:version[:classifier]}, always of type aci. */
    private static MavenArtifact maven(String text) {
        String[] parts = text.substring(4).split(":", -1);
        if (!(parts.length == 3 || parts.length == 4) || !validParts(parts)) {
            throw badCoordinates(text);
        }
        return new MavenArtifact(parts[0], parts[1], parts[2], parts.length == 4 ? parts[3] : null);
    }

    /** Maven's own form: {@code groupId:artifactId[:extension[:classifier]]:version}, extension aci. */
    private static MavenArtifact mavenCoordinates(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length > 5 || !validParts(parts)) {
            throw badCoordinates(text);
        }
        if (parts.length >= 4 && !parts[2].equals("aci")) {
            throw new FetchException("'" + text + "' names an artifact of type " + parts[2] + ": an image is an"
                    + " artifact of type aci. Write GROUP_ID:ARTIFACT_ID:VERSION or"
                    + " GROUP_ID:ARTIFACT_ID:aci:CLASSIFIER:VERSION.");
        }
        return new MavenArtifact(parts[0], parts[1], parts[parts.length - 1], parts.length == 5 ? parts[3] : null);
    }

    private static boolean validParts(String[] parts) {
        for (String part : parts) {
            if (part.isBlank() || !part.matches("[A-Za-z0-9_.\\-]+") || part.equals("..") || part.equals(".")) {
                return false;
            }
        }
        return true;
    }

    private static FetchException badCoordinates(String text) {
        return new FetchException("'" + text + "' is not valid Maven coordinates: expected"
                + " GROUP_ID:ARTIFACT_ID[:aci[:CLASSIFIER]]:VERSION or mvn:GROUP_ID:ARTIFACT_ID:VERSION[:CLASSIFIER]"
                + " (the artifact's type is aci), e.g. com.example:base-image:1.0");
    }
}
