package dev.jetpack.engine.io;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs a short-lived host tool (mount, umount, cp, ldd, ...) and captures its combined output.
 *
 * <p>For quick helper commands only: output is collected in memory and the call blocks until the tool exits.
 * Long-running commands whose output must stream belong in the runtime package.
 */
public final class HostCommand {
    /** PATH used for host tools, so that a caller's odd environment cannot change which tool runs. */
    public static final String HOST_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private HostCommand() {
    }

    /** What a finished host tool produced. */
    public record Result(List<String> command, int exitCode, String output) {
        public boolean succeeded() {
            return exitCode == 0;
        }

        /** One line for error messages: the command, its exit code and its (trimmed) output. */
        public String describe() {
            return String.join(" ", command) + " exited with " + exitCode
                    + (output.isBlank() ? "" : ": " + output.strip());
        }
    }

    /** The exit code of a tool that cannot be started at all (not installed), as a shell reports it. */
    public static final int NOT_FOUND = 127;

    /**
     * Runs {@code command} with stdout and stderr merged and stdin closed. A tool that cannot be started at
     * all (not installed) yields exit code {@value #NOT_FOUND} with the reason as output, like a shell would, so
     * that probes can treat "missing" and "failing" alike.
     */
    public static Result run(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PATH", HOST_PATH);
        builder.environment().put("LC_ALL", "C");
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Result(List.copyOf(command), NOT_FOUND, e.getMessage());
        }
        try (InputStream in = process.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            int exit = waitUninterruptibly(process);
            return new Result(List.copyOf(command), exit, out.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            process.destroyForcibly();
            throw new UncheckedIOException("reading the output of " + command, e);
        }
    }

    /** How many of a streamed command's last output lines its {@link Result} keeps. */
    public static final int TAIL_LINES = 20;

    /**
     * Runs a longer host command (a user's preparation step such as a debootstrap) in {@code directory},
     * passing each line of its output (stdout and stderr merged) to {@code lines} as it comes, stdin closed.
     * Unlike {@link #run} it keeps the caller's environment (users' steps expect their PATH), with
     * {@code environment} added. The result's output is the last {@value #TAIL_LINES} lines, for error messages.
     *
     * @throws IOException when the command cannot be started or its output cannot be read; an interrupt kills
     *                     the command and is reported the same way (the interrupt flag stays set)
     */
    public static Result stream(List<String> command, Path directory, Map<String, String> environment,
            Consumer<String> lines) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .directory(directory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(environment);
        Process process = builder.start();
        Deque<String> tail = new ArrayDeque<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.accept(line);
                tail.addLast(line);
                if (tail.size() > TAIL_LINES) {
                    tail.removeFirst();
                }
            }
            int exit = process.waitFor();
            return new Result(List.copyOf(command), exit, String.join("\n", tail));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    /** Like {@link #run} but throws an {@link IOException} describing the failure when the tool exits non-zero. */
    public static Result check(List<String> command) throws IOException {
        Result result = run(command);
        if (!result.succeeded()) {
            throw new IOException(result.describe());
        }
        return result;
    }

    /*
     * Helper tools are short and often part of cleanup (umount in a finally block); abandoning them half-way
     * on an interrupt would leave exactly the mess the cleanup exists to prevent. The interrupt is kept.
     */
    private static int waitUninterruptibly(Process process) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return process.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
