package dev.jetpack.engine.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's skopeo (no signature policy file needed) to check what a registry holds. */
public final class Skopeo {
    private Skopeo() {
    }

    /** Runs {@code skopeo ARGUMENTS}; returns its output, or fails the test with it. */
    public static String run(String... arguments) throws IOException, InterruptedException {
        Result result = attempt(arguments);
        if (result.exitCode() != 0) {
            throw new AssertionError("skopeo " + String.join(" ", arguments) + " failed: " + result.output());
        }
        return result.output();
    }

    /** The digest skopeo reports for {@code docker://REFERENCE} on a plain-HTTP loopback registry. */
    public static String digest(String reference, String... options) throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(List.of("inspect", "--tls-verify=false"));
        arguments.addAll(List.of(options));
        arguments.addAll(List.of("--format", "{{.Digest}}", "docker://" + reference));
        return run(arguments.toArray(String[]::new)).strip();
    }

    public record Result(int exitCode, String output) {
    }

    public static Result attempt(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 60 s: " + output);
        }
        return new Result(process.exitValue(), output);
    }
}
