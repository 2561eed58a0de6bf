package dev.jetpack.engine.manifest;

import dev.jetpack.engine.JetpackException;
import java.util.List;

/**
 * A manifest that cannot be read (bad JSON, a field of the wrong type) or that breaks the appc spec. The
 * message names the manifest's source, every problem found and how to fix it; {@link #problems()} gives the
 * spec violations one by one for callers that present them differently.
 */
public class InvalidManifestException extends JetpackException {
    private static final long serialVersionUID = 1L;

    private final transient List<ManifestProblem> problems;

    public InvalidManifestException(String message) {
        this(message, List.of(), null);
    }

    public InvalidManifestException(String message, Throwable cause) {
        this(message, List.of(), cause);
    }

    InvalidManifestException(String message, List<ManifestProblem> problems, Throwable cause) {
        super(message, cause);
        this.problems = List.copyOf(problems);
    }

    /** Builds the exception for a manifest from {@code source} that breaks the spec in {@code problems}. */
    public static InvalidManifestException forProblems(String source, List<ManifestProblem> problems) {
        StringBuilder message = new StringBuilder("Invalid image manifest ").append(source).append(": ")
                .append(problems.size()).append(problems.size() == 1 ? " problem" : " problems")
                .append(" (appc spec 0.8.11); fix each field listed:");
        for (ManifestProblem problem : problems) {
            message.append("\n  - ").append(problem);
        }
        return new InvalidManifestException(message.toString(), problems, null);
    }

    /** The spec violations found; empty when the manifest could not be read at all. */
    public List<ManifestProblem> problems() {
        return problems;
    }
}
