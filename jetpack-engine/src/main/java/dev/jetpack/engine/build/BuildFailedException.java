package dev.jetpack.engine.build;

import java.util.List;

/**
 * The build command exited with a non-zero code. Carries the command, the code and the last lines it printed,
 * so that a user sees why without scrolling back through the build output.
 */
public class BuildFailedException extends BuildException {
    private static final long serialVersionUID = 1L;

    private final List<String> command;
    private final int exitCode;
    private final List<String> lastLines;

    public BuildFailedException(List<String> command, int exitCode, List<String> lastLines, String runtime) {
        super(message(command, exitCode, lastLines, runtime));
        this.command = List.copyOf(command);
        this.exitCode = exitCode;
        this.lastLines = List.copyOf(lastLines);
    }

    private static String message(List<String> command, int exitCode, List<String> lastLines, String runtime) {
        StringBuilder text = new StringBuilder()
                .append("The build command ").append(command)
                .append(" failed with exit code ").append(exitCode)
                .append(" (runtime ").append(runtime).append("); no image was written.");
        if (lastLines.isEmpty()) {
            text.append(" It printed nothing.");
        } else {
            text.append(" Its last lines:");
            for (String line : lastLines) {
                text.append("\n  | ").append(line);
            }
        }
        text.append("\nFix the command or the build directory and build again.");
        return text.toString();
    }

    /** The command and arguments that ran in the build container. */
    public List<String> command() {
        return command;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The last lines of the command's output (stdout and stderr, as the runtime interleaved them). */
    public List<String> lastLines() {
        return lastLines;
    }
}
