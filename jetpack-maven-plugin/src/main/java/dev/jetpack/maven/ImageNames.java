package dev.jetpack.maven;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The image name and {@code version} label a project gets when its manifest does not set them.
 *
 * <p>The name is {@code groupId/artifactId} made into an AC Identifier: lower-cased, every character outside
 * {@code [a-z0-9-._~/]} replaced by {@code -}, runs of separators collapsed to their first character, and
 * separators at either end of each part dropped; {@code Dev.Jetpack:My+App} gives {@code dev.jetpack/my-app}.
 *
 * <p>The version label is the project version as it is, SNAPSHOT included ({@code 1.0-SNAPSHOT}): a
 * snapshot's timestamped form only exists once it is deployed, and putting the build time into the manifest
 * would make every build a different image. Repositories keep their timestamped file names; the label says
 * what the image was built from.
 */
public final class ImageNames {
    /** appc's AC Identifier. */
    public static final Pattern AC_IDENTIFIER = Pattern.compile("^[a-z0-9]+([-._~/][a-z0-9]+)*$");

    /** appc's AC Name: app instance names, as mount point and port names. */
    public static final Pattern AC_NAME = Pattern.compile("^[a-z0-9]+(-[a-z0-9]+)*$");

    private static final String SEPARATORS = "-._~/";

    private ImageNames() {
    }

    /**
     * @return the AC Identifier for the project
     * @throws ConfigurationException when nothing valid is left (e.g. a groupId of only punctuation)
     */
    public static String fromCoordinates(String groupId, String artifactId) throws ConfigurationException {
        // Each part on its own, so that the slash between them survives whatever the parts end with.
        String group = toIdentifier(groupId);
        String artifact = toIdentifier(artifactId);
        String name = group.isEmpty() || artifact.isEmpty() ? group + artifact : group + "/" + artifact;
        if (!AC_IDENTIFIER.matcher(name).matches()) {
            throw new ConfigurationException("Cannot make an image name from the coordinates '" + groupId + ":"
                    + artifactId + "': '" + name + "' is not an AC Identifier (" + AC_IDENTIFIER.pattern()
                    + "); set \"name\" in the manifest (manifest.json or the plugin's <manifest>)");
        }
        return name;
    }

    /** Maps any text onto the AC Identifier alphabet; the result may still be empty. */
    static String toIdentifier(String raw) {
        String lower = raw.toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(lower.length());
        boolean lastWasSeparator = true; // drops separators at the start
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (alnum) {
                out.append(c);
                lastWasSeparator = false;
            } else if (!lastWasSeparator) {
                out.append(SEPARATORS.indexOf(c) >= 0 ? c : '-');
                lastWasSeparator = true;
            }
        }
        while (out.length() > 0 && SEPARATORS.indexOf(out.charAt(out.length() - 1)) >= 0) {
            out.setLength(out.length() - 1);
        }
        return out.toString();
    }

    /**
     * The instance name of an app run from the image {@code imageName} when none is configured: the name's last
     * component made into an AC Name ({@code dev.jetpack.images/example-nginx} gives {@code example-nginx}).
     *
     * @throws ConfigurationException when nothing valid is left
     */
    public static String appName(String imageName) throws ConfigurationException {
        String last = imageName.substring(imageName.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        String name = String.join("-", last.split("[^a-z0-9]+")).replaceAll("^-+|-+$", "");
        if (!AC_NAME.matcher(name).matches()) {
            throw new ConfigurationException("Cannot make an app name from the image name '" + imageName
                    + "'; set <name> (lower-case letters and digits, words joined by single dashes)");
        }
        return name;
    }

    /**
     * @return the {@code version} label for the project version, verbatim
     * @throws ConfigurationException when the version is blank
     */
    public static String versionLabel(String projectVersion) throws ConfigurationException {
        if (projectVersion == null || projectVersion.isBlank()) {
            throw new ConfigurationException("The project has no version to use as the image's 'version' label;"
                    + " set <version> in the POM or a \"version\" label in the manifest");
        }
        return projectVersion.trim();
    }
}
