package dev.jetpack.cli;

import dev.jetpack.engine.testing.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code jetpack} as a user would: a separate JVM on the test class path, its own stdin, stdout, stderr and
 * exit code, with a private store ({@code --store}) unless a test leaves it out on purpose.
 */
final class Cli {
    private static final long TIMEOUT_SECONDS = 120;

    /** What one run gave. */
    record Result(int exitCode, byte[] stdout, String stderr, List<String> command) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        /** stdout's lines, without the final newline's empty line. */
        List<String> lines() {
            String text = out();
            return text.isEmpty() ? List.of() : List.of(text.split("\n"));
        }

        @Override
        public String toString() {
            return "jetpack " + String.join(" ", command) + " -> exit " + exitCode + "\n--- stdout:\n" + out()
                    + "\n--- stderr:\n" + stderr;
        }
    }

    private final Path store;
    private final Path workDir;
    private final Map<String, String> environment = new HashMap<>();

    Cli(Path store, Path workDir) {
        this.store = store;
        this.workDir = workDir;
    }

    Path store() {
        return store;
    }

    Cli env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** {@code jetpack --store STORE args...} */
    Result run(String... args) {
        return run(null, args);
    }

    /** As {@link #run(String...)} with {@code stdin} as standard input. */
    Result run(byte[] stdin, String... args) {
        List<String> withStore = new ArrayList<>(List.of("--store", store.toString()));
        withStore.addAll(List.of(args));
        return runWithoutStore(stdin, withStore);
    }

    /** {@code jetpack args...} exactly as given: no {@code --store}. */
    Result runWithoutStore(byte[] stdin, List<String> args) {
        List<String> command = ChildJvm.command(
                List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"), JetpackCommand.class, args);
        try {
            Path out = Files.createTempFile(workDir, "stdout", ".txt");
            Path err = Files.createTempFile(workDir, "stderr", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().remove("JETPACK_STORE");
            builder.environment().remove("SOURCE_DATE_EPOCH");
            builder.environment().putAll(environment);
            if (stdin == null) {
                builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            }
            Process process = builder.start();
            if (stdin != null) {
                try (var in = process.getOutputStream()) {
                    in.write(stdin);
                }
            }
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("jetpack " + args + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            Result result = new Result(process.exitValue(), Files.readAllBytes(out), Files.readString(err), args);
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
