package dev.jetpack.maven;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of {@code <prepareSteps>}: either the plain form {@code <prepareStep>COMMAND</prepareStep>}, which
 * runs every time (like a make target that is not a file), or
 * {@code <prepareStep><command>COMMAND</command><creates>PATH[, PATH...]</creates></prepareStep>}, which is
 * skipped while everything it creates exists from its last successful run (like a make file target).
 */
public class PrepareStep {
    /** The shell command ({@code /bin/sh -c}), run in the staged build directory. */
    private String command;

    /**
     * What the command creates, relative to the staged build directory: one path or several separated by
     * commas or white space. {@code mvn clean} removes them with {@code target/}.
     */
    private String creates;

    public PrepareStep() {
    }

    PrepareStep(String command, String creates) {
        this.command = command;
        this.creates = creates;
    }

    /** The plain form: Maven calls this for {@code <prepareStep>COMMAND</prepareStep>}. */
    public void set(String plainCommand) {
        this.command = plainCommand;
    }

    String command() {
        return command;
    }

    /**
     * The declared outputs, each relative and inside the staged build directory.
     *
     * @param number the step's number, for the message
     * @throws ConfigurationException when the command is missing or an output leaves the build directory
     */
    List<Path> outputs(int number) throws ConfigurationException {
        if (command == null || command.isBlank()) {
            throw new ConfigurationException("Prepare step " + number + " has no command: write"
                    + " <prepareStep>COMMAND</prepareStep> or <prepareStep><command>COMMAND</command>"
                    + "<creates>PATH</creates></prepareStep>");
        }
        List<Path> outputs = new ArrayList<>();
        if (creates == null) {
            return outputs;
        }
        for (String entry : creates.trim().split("[,\\s]+")) {
            if (entry.isEmpty()) {
                continue;
            }
            Path path = Path.of(entry).normalize();
            if (path.isAbsolute() || path.startsWith("..") || path.toString().isEmpty()) {
                throw new ConfigurationException("Prepare step " + number + " declares <creates>" + entry
                        + "</creates>: what a step creates must be a relative path inside the staged build"
                        + " directory (where the step runs), e.g. rootfs");
            }
            outputs.add(path);
        }
        if (outputs.isEmpty()) {
            throw new ConfigurationException("Prepare step " + number + " has an empty <creates>: name what the"
                    + " step creates (e.g. rootfs), or drop <creates> to run the step every time");
        }
        return outputs;
    }
}
