package dev.jetpack.engine.fetch;

import java.nio.file.Path;

/**
 * Finds the file of a Maven artifact of type {@code aci}. The Maven plugin implements it with Maven's own
 * resolver (remote repositories, mirrors, credentials and offline mode included); the command line uses
 * {@link LocalRepositoryMavenResolver}.
 */
@FunctionalInterface
public interface MavenResolver {
    /**
     * @param classifier null when the artifact has none
     * @return the artifact's local file
     * @throws FetchException when it cannot be resolved; the message says where it was looked for
     */
    Path resolve(String groupId, String artifactId, String version, String classifier);

    /** Resolves parsed coordinates. */
    default Path resolve(ImageSource.MavenArtifact artifact) {
        return resolve(artifact.groupId(), artifact.artifactId(), artifact.version(), artifact.classifier());
    }
}
