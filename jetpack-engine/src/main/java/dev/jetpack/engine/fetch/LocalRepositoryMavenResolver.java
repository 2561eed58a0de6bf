package dev.jetpack.engine.fetch;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resolves {@code aci} artifacts in a local Maven repository directory only (no network):
 * {@code REPO/g/r/o/u/p/artifactId/version/artifactId-version[-classifier].aci}. Enough for the command line
 * to use images that a Maven build installed.
 */
public final class LocalRepositoryMavenResolver implements MavenResolver {
    private final Path repository;

    public LocalRepositoryMavenResolver(Path repository) {
        this.repository = repository.toAbsolutePath().normalize();
    }

    /** The user's local repository: {@code -Dmaven.repo.local} if set, else {@code ~/.m2/repository}. */
    public static LocalRepositoryMavenResolver userDefault() {
        String configured = System.getProperty("maven.repo.local");
        Path repository = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
        return new LocalRepositoryMavenResolver(repository);
    }

    public Path repository() {
        return repository;
    }

    @Override
    public Path resolve(String groupId, String artifactId, String version, String classifier) {
        for (String part : new String[] {groupId, artifactId, version, classifier}) {
            if (part != null && (part.isBlank() || !part.matches("[A-Za-z0-9_.\\-]+") || part.contains(".."))) {
                throw new FetchException("'" + part + "' is not a valid part of Maven coordinates: use letters,"
                        + " digits, '.', '_' and '-'");
            }
        }
        Path file = repository.resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version)
                .resolve(artifactId + "-" + version + (classifier == null ? "" : "-" + classifier) + ".aci");
        if (!Files.isRegularFile(file)) {
            String coordinates = groupId + ":" + artifactId + ":" + version + ":aci"
                    + (classifier == null ? "" : ":" + classifier);
            throw new FetchException("Maven artifact " + coordinates + " is not in the local repository (looked for "
                    + file + "). Install or download it first, e.g. mvn dependency:get -Dartifact=" + coordinates
                    + ", or fetch the image through the jetpack Maven plugin.");
        }
        return file;
    }
}
