package dev.jetpack.maven;

import java.io.File;
import java.nio.file.Path;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.MavenProjectHelper;

/**
 * Makes the built ACI part of the project's artifacts, so that {@code install} and {@code deploy} carry it.
 *
 * <p>With packaging {@code aci} it is the project's main artifact ({@code artifactId-version.aci}). With any
 * other packaging the main artifact stays what it is (the jar...) and the ACI is attached as type {@code aci}
 * with the {@code classifier} parameter, {@code image} by default: {@code artifactId-version-image.aci},
 * referred to as {@code groupId:artifactId:aci:image:version}.
 */
final class ImageAttachment {
    /** The packaging (and artifact type) this plugin registers. */
    static final String ACI = "aci";

    private ImageAttachment() {
    }

    /** Where {@code jetpack:build} writes the project's ACI (ACI_FILE): {@code target/<finalName>.aci}. */
    static Path aciFile(MavenProject project) {
        return Path.of(project.getBuild().getDirectory()).toAbsolutePath()
                .resolve(project.getBuild().getFinalName() + ".aci");
    }

    /** @return how the ACI was attached, for the log */
    static String attach(MavenProject project, MavenProjectHelper helper, File aci, String classifier) {
        if (ACI.equals(project.getPackaging())) {
            project.getArtifact().setFile(aci);
            return "as the project's artifact";
        }
        helper.attachArtifact(project, ACI, classifier, aci);
        return "as attached artifact of type aci, classifier " + classifier;
    }
}
