package dev.jetpack.maven;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs the {@code prepareSteps} on the host, the counterpart of the make macros' {@code prepare} and
 * {@code prepare.*} targets: each step is one {@code /bin/sh -c} command run in the staged build directory,
 * in order, its output passed on line by line; the first one that fails stops the preparation.
 */
final class HostCommands {
    private HostCommands() {
    }

    /**
     * @param steps       the shell commands
     * @param directory   where they run
     * @param environment added to Maven's own environment (e.g. the proxies)
     * @param output      receives each output line (stdout and stderr merged)
     * @throws StepFailedException when a step exits non-zero
     */
    static void run(List<String> steps, Path directory, Map<String, String> environment, Consumer<String> output)
            throws IOException, InterruptedException, StepFailedException {
        for (int i = 0; i < steps.size(); i++) {
            String step = steps.get(i);
            output.accept("+ " + step);
            ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", step).directory(directory.toFile())
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(environment);
            Process process = builder.start();
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    output.accept(line);
                }
            }
            int exit = process.waitFor();
            if (exit != 0) {
                throw new StepFailedException(i + 1, steps.size(), step, exit);
            }
        }
    }

    /** A step exited non-zero. */
    static final class StepFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        StepFailedException(int number, int total, String step, int exit) {
            super("Preparation step " + number + " of " + total + " failed with exit code " + exit + ": " + step);
        }
    }
}
