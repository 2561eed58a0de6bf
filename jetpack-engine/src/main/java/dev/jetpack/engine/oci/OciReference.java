package dev.jetpack.engine.oci;

import dev.jetpack.engine.manifest.ImageManifest;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name an exported image gets in the OCI world, {@code repository:tag} as docker and podman spell it: the
 * repository is slash-separated lower-case path components, optionally behind a registry host
 * ({@code 127.0.0.1:5000/app}); the tag is up to 128 letters, digits, {@code _ . -}.
 */
public record OciReference(String repository, String tag) {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]+)?");
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final String REPOSITORY_RULE = "a repository is lower-case path components of letters and"
            + " digits joined by '.', '_', '__' or dashes, separated by '/', optionally behind a host[:port]";
    private static final String TAG_RULE = "a tag is 1 to 128 letters, digits, '_', '.' or '-', not starting with"
            + " '.' or '-'";

    public OciReference {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(tag, "tag");
        String problem = repositoryProblem(repository);
        if (problem != null) {
            throw new IllegalArgumentException("'" + repository + "' is not a valid OCI repository name: " + problem);
        }
        if (!TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("'" + tag + "' is not a valid OCI tag: " + TAG_RULE);
        }
    }

    /**
     * Parses {@code NAME:TAG} or {@code NAME} (tag {@code latest}, as docker does).
     *
     * @throws OciFormatException naming the rule that is broken
     */
    public static OciReference parse(String text) {
        Objects.requireNonNull(text, "reference");
        int slash = text.lastIndexOf('/');
        int colon = text.lastIndexOf(':');
        try {
            if (colon > slash) {
                return new OciReference(text.substring(0, colon), text.substring(colon + 1));
            }
            return new OciReference(text, "latest");
        } catch (IllegalArgumentException e) {
            throw new OciFormatException("The image name '" + text + "' cannot be used: " + e.getMessage()
                    + ". Write it as NAME:TAG, e.g. example.com/app:1.0");
        }
    }

    /**
     * The name an appc image is exported under when the user gives none: its name, tagged with its
     * {@code version} label ({@code latest} without one).
     *
     * @throws OciFormatException when the appc name or version is not valid in OCI, with the fix
     */
    public static OciReference defaultFor(ImageManifest manifest) {
        String tag = manifest.label("version").orElse("latest");
        String problem = repositoryProblem(manifest.name());
        if (problem != null) {
            throw new OciFormatException("The appc name '" + manifest.name() + "' is not a valid OCI repository"
                    + " name (" + problem + "): give the exported image a name with a tag option (NAME:TAG)");
        }
        if (!TAG.matcher(tag).matches()) {
            throw new OciFormatException("The version label '" + tag + "' of " + manifest.name() + " is not a"
                    + " valid OCI tag (" + TAG_RULE + "): give the exported image a name with a tag option (NAME:TAG)");
        }
        return new OciReference(manifest.name(), tag);
    }

    private static String repositoryProblem(String repository) {
        if (repository.isEmpty() || repository.length() > 255) {
            return "it must have 1 to 255 characters";
        }
        String[] components = repository.split("/", -1);
        for (int i = 0; i < components.length; i++) {
            String component = components[i];
            boolean host = i == 0 && components.length > 1
                    && (component.contains(".") || component.contains(":") || component.equals("localhost"));
            if (host ? !HOST.matcher(component).matches() : !PATH_COMPONENT.matcher(component).matches()) {
                return "'" + component + "' breaks the rule: " + REPOSITORY_RULE;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return repository + ":" + tag;
    }
}
