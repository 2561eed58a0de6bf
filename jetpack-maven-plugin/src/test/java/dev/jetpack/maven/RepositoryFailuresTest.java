package dev.jetpack.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.List;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.transfer.ArtifactNotFoundException;
import org.eclipse.aether.transfer.ArtifactTransferException;
import org.junit.jupiter.api.Test;

class RepositoryFailuresTest {
    private static final DefaultArtifact IMAGE = new DefaultArtifact("com.example", "base", "", "aci", "1.0");
    private static final RemoteRepository DAV =
            new RemoteRepository.Builder("webdav", "default", "http://127.0.0.1:8081/repo").build();

    private static ArtifactResolutionException failed(Exception... exceptions) {
        ArtifactResult result = new ArtifactResult(new ArtifactRequest(IMAGE, List.of(DAV), null));
        for (Exception exception : exceptions) {
            result.addException(exception);
        }
        return new ArtifactResolutionException(List.of(result));
    }

    @Test
    void aRefusalNamesTheRepositoryTheAnswerAndTheServerEntry() {
        // as wagon (Maven 3.8) words it
        var e = failed(new ArtifactTransferException(IMAGE, DAV, "Could not transfer",
                new Exception("authentication failed for http://127.0.0.1:8081/repo/x.aci, status: 401 Unauthorized")));

        assertThat(RepositoryFailures.of(e)).singleElement().satisfies(failure -> assertThat(failure.describe())
                .contains("repository 'webdav' (http://127.0.0.1:8081/repo) refused access")
                .contains("status: 401 Unauthorized")
                .contains("<server> with id 'webdav' in settings.xml"));
    }

    @Test
    void anUnreachableRepositoryIsToldApartFromARefusal() {
        var e = failed(new ArtifactTransferException(IMAGE, DAV, "Could not transfer",
                new Exception("Transfer failed", new ConnectException("Connection refused"))));

        assertThat(RepositoryFailures.of(e)).singleElement().satisfies(failure -> assertThat(failure.describe())
                .contains("repository 'webdav' (http://127.0.0.1:8081/repo) could not be reached (Connection refused)")
                .contains("that its server is up")
                .doesNotContain("settings.xml"));
    }

    @Test
    void aMissingImageIsNoRepositoryFailure() {
        var e = failed(new ArtifactNotFoundException(IMAGE, DAV));

        assertThat(RepositoryFailures.of(e)).isEmpty();
    }
}
