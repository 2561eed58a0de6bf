package dev.jetpack.maven;

import dev.jetpack.engine.fetch.FetchException;
import dev.jetpack.engine.fetch.MavenResolver;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

/**
 * The engine's {@code mvn:} images resolved by Maven itself: the session's local repository, the project's remote
 * repositories (with the user's mirrors, credentials and proxies), offline mode, and the reactor: the session's
 * workspace reader answers with a module's freshly built ACI, so one module's image can be another's parent.
 */
final class MavenImageResolver implements MavenResolver {
    private final RepositorySystem system;
    private final RepositorySystemSession session;
    private final List<RemoteRepository> repositories;

    MavenImageResolver(RepositorySystem system, RepositorySystemSession session, List<RemoteRepository> repositories) {
        this.system = Objects.requireNonNull(system, "system");
        this.session = Objects.requireNonNull(session, "session");
        this.repositories = List.copyOf(repositories);
    }

    @Override
    public Path resolve(String groupId, String artifactId, String version, String classifier) {
        DefaultArtifact artifact = new DefaultArtifact(groupId, artifactId, classifier == null ? "" : classifier,
                ImageAttachment.ACI, version);
        try {
            return system.resolveArtifact(session, new ArtifactRequest(artifact, repositories, null))
                    .getArtifact().getFile().toPath();
        } catch (ArtifactResolutionException e) {
            List<RepositoryFailures.Failure> failures = RepositoryFailures.of(e);
            if (!failures.isEmpty()) {
                throw new FetchException("Cannot resolve the image " + artifact + ": "
                        + failures.stream().map(RepositoryFailures.Failure::describe)
                                .collect(Collectors.joining("; ")), e);
            }
            throw new FetchException("Cannot resolve the image " + artifact + ": " + e.getMessage()
                    + (session.isOffline()
                            ? ". Maven is offline (-o): the image must already be in the local repository; run the"
                            + " build once without -o, or mvn install the image's project"
                            : ". Check the coordinates, mvn install (or deploy) the image's project, or, for a module"
                            + " of this reactor, declare it as a dependency of type aci so that it is built first"),
                    e);
        }
    }
}
