package dev.jetpack.maven;

import java.nio.file.Path;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;

/**
 * The goals that deal with images from elsewhere ({@code fetch}, {@code build}): the parent image, proxies from
 * settings.xml, and Maven coordinates resolved through Maven's repositories (and the reactor).
 */
public abstract class AbstractImageMojo extends AbstractJetpackMojo {
    /**
     * The parent image (PARENT_IMAGE): a path to an .aci file, a URL, an appc discovery name
     * ({@code example.com/app:1.0,os=linux}) or Maven coordinates
     * ({@code groupId:artifactId[:extension[:classifier]]:version}, extension {@code aci} by default), which may
     * name another module of the same reactor (declare it as a dependency of type {@code aci} so that the
     * reactor builds it first). Unset for a base image.
     */
    @Parameter(property = "jetpack.parentImage")
    protected String parentImage;

    @Component
    private RepositorySystem repositorySystem;

    /** The parsed parent image, coordinates resolved to a file; null when there is none. */
    protected ImageSource parentSource() throws ConfigurationException, MojoFailureException {
        if (parentImage == null || parentImage.isBlank()) {
            return null;
        }
        return resolve(ImageSource.parse(parentImage, basedir(), "parentImage"));
    }

    /** Resolves Maven coordinates to the artifact's file (local repository, remotes, reactor); others as they are. */
    protected ImageSource resolve(ImageSource source) throws MojoFailureException {
        if (source.kind() != ImageSource.Kind.COORDINATES) {
            return source;
        }
        ImageSource.MavenCoordinates c = source.coordinates().orElseThrow();
        ArtifactRequest request = new ArtifactRequest(
                new DefaultArtifact(c.groupId(), c.artifactId(), c.classifier(), c.extension(), c.version()),
                project.getRemoteProjectRepositories(), null);
        try {
            ArtifactResult result = repositorySystem.resolveArtifact(session.getRepositorySession(), request);
            Path file = result.getArtifact().getFile().toPath();
            getLog().debug("Image " + c + " resolved to " + file);
            return source.withResolvedFile(file);
        } catch (ArtifactResolutionException e) {
            throw new MojoFailureException("Cannot resolve the image " + c + ": " + e.getMessage()
                    + (offline() ? ". Maven is offline (-o): the image must already be in the local repository;"
                            + " run once without -o, or mvn install the image's project"
                            : ". Check the coordinates, mvn install (or deploy) the image's project, or, for a"
                            + " module of this reactor, declare it as a dependency of type aci so it is built"
                            + " first"), e);
        }
    }
}
