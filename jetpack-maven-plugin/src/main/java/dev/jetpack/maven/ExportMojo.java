package dev.jetpack.maven;

import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.oci.ExportedOciImage;
import dev.jetpack.engine.oci.LayerCompression;
import dev.jetpack.engine.oci.OciExportFormat;
import dev.jetpack.engine.oci.OciExportOptions;
import dev.jetpack.engine.oci.OciReference;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProjectHelper;

/**
 * Exports the image {@code jetpack:build} made in this project (or any stored {@code image}) as one OCI archive,
 * {@code target/<finalName>-oci.tar}, and attaches it (type {@code tar}, classifier {@code oci}), so that
 * {@code install} and {@code deploy} carry it. The archive is an OCI image layout plus {@code docker save}'s
 * {@code manifest.json}: {@code docker load}, {@code podman load} and skopeo ({@code docker-archive:},
 * {@code oci-archive:}) all read it. The same image gives the same bytes on every export.
 */
@Mojo(name = "export", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class ExportMojo extends AbstractJetpackMojo {
    /**
     * The stored image to export: an image ID, ID prefix or {@code NAME[:VERSION]}. Unset: the image
     * {@code jetpack:build} built in this project, as its {@code target/<finalName>.aci.id} names it.
     */
    @Parameter(property = "jetpack.export.image")
    private String image;

    /** Where the archive is written. */
    @Parameter(property = "jetpack.export.file",
            defaultValue = "${project.build.directory}/${project.build.finalName}-oci.tar")
    private File exportFile;

    /**
     * The name the image gets in docker and podman, {@code NAME:TAG}. Unset: the image's appc name and version
     * label (by default groupId/artifactId and the project version).
     */
    @Parameter(property = "jetpack.export.tag")
    private String tag;

    /** {@code gzip} (default) or {@code none}. */
    @Parameter(property = "jetpack.export.layerCompression", defaultValue = "gzip")
    private String layerCompression;

    /** Whether the archive is attached to the project (and so installed and deployed). */
    @Parameter(property = "jetpack.export.attach", defaultValue = "true")
    private boolean attach;

    /** Classifier of the attached archive. */
    @Parameter(property = "jetpack.export.classifier", defaultValue = "oci")
    private String exportClassifier;

    @Component
    private MavenProjectHelper projectHelper;

    @Override
    protected String goal() {
        return "export";
    }

    @Override
    protected void run() throws MojoFailureException, ConfigurationException {
        String which = image != null && !image.isBlank() ? image.trim() : builtImage();
        OciExportOptions.Builder options = OciExportOptions.builder(OciExportFormat.DOCKER_ARCHIVE,
                exportFile.toPath().toAbsolutePath())
                .compression(Choices.parse(LayerCompression.class, layerCompression, LayerCompression.GZIP,
                        "layerCompression", "jetpack.export.layerCompression"));
        ExportedOciImage exported;
        try {
            if (tag != null && !tag.isBlank()) {
                options.reference(OciReference.parse(tag.trim()));
            }
            exported = jetpack().exportOci(which, options.build());
        } catch (JetpackException e) {
            throw failure("Cannot export the image " + which + " to " + exportFile, e);
        }
        getLog().info("OCI archive " + exportFile + ": " + exported.reference() + "@"
                + exported.manifestDescriptor().digest() + " (docker load, podman load)");
        if (attach) {
            projectHelper.attachArtifact(project, "tar", exportClassifier, exportFile);
            getLog().info("Attached " + exportFile.getName() + " as type tar, classifier " + exportClassifier);
        }
    }

    /** The ID jetpack:build recorded for this project's image. */
    private String builtImage() throws ConfigurationException, MojoFailureException {
        Path idFile = Path.of(project.getBuild().getDirectory()).toAbsolutePath()
                .resolve(project.getBuild().getFinalName() + ".aci.id");
        if (!Files.isRegularFile(idFile)) {
            throw new ConfigurationException("jetpack:export found no image built in this project (" + idFile
                    + " is missing): run jetpack:build before jetpack:export in the same build (both bind to"
                    + " package; list build first), or name a stored image with <image> (-Djetpack.export.image=...)");
        }
        try {
            return Files.readString(idFile).trim();
        } catch (IOException e) {
            throw new MojoFailureException("Cannot read the image ID in " + idFile + ": " + e.getMessage(), e);
        }
    }
}
