package dev.jetpack.engine.aci.compress;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The native compressors on the PATH ({@code xz}, {@code bzip2}): finding one that really runs, and running one as
 * a filter over a block in memory. Their environment is cleared of the variables through which a user's defaults
 * would change the format ({@code XZ_DEFAULTS}, {@code XZ_OPT}, {@code BZIP}, {@code BZIP2}).
 */
final class HostPrograms {
    private static final List<String> FORMAT_VARIABLES = List.of("XZ_DEFAULTS", "XZ_OPT", "BZIP", "BZIP2");

    private HostPrograms() {
    }

    /** The first {@code name} on the PATH whose {@code versionFlag} output contains {@code marker}. */
    static Optional<Path> find(String name, String marker, String versionFlag) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                try {
                    if (version(candidate, versionFlag).contains(marker)) {
                        return Optional.of(candidate);
                    }
                } catch (IOException e) {
                    // not usable: try the next one on the PATH
                }
            }
        }
        return Optional.empty();
    }

    /** The first line of the program's version output (stdout and stderr), e.g. "xz (XZ Utils) 5.4.1". */
    static String version(Path program, String versionFlag) throws IOException {
        Process process = start(List.of(program.toString(), versionFlag), true);
        process.getOutputStream().close(); // bzip2 -V would otherwise wait for input
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        int status = waitFor(process, List.of(program.toString(), versionFlag));
        if (status != 0) {
            throw new IOException(program + " " + versionFlag + " exited with status " + status + ": " + text);
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline).strip();
    }

    /**
     * Runs {@code command} with {@code data[0, length)} on its stdin and returns its stdout: the stdin is fed by a
     * second thread so that neither pipe can fill up and stall the other.
     */
    static byte[] filter(List<String> command, byte[] data, int length) throws IOException {
        Process process = start(command, false);
        IOException[] feedFailure = new IOException[1];
        Thread feeder = new Thread(() -> {
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(data, 0, length);
            } catch (IOException e) {
                feedFailure[0] = e;
            }
        }, command.get(0) + "-stdin");
        feeder.setDaemon(true);
        feeder.start();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        byte[] output;
        try {
            Thread errors = new Thread(() -> copyQuietly(process.getErrorStream(), stderr), "stderr");
            errors.setDaemon(true);
            errors.start();
            try (InputStream stdout = process.getInputStream()) {
                output = stdout.readAllBytes();
            }
            int status = waitFor(process, command);
            feeder.join();
            errors.join();
            if (status != 0 || feedFailure[0] != null) {
                throw new IOException(String.join(" ", command) + " exited with status " + status + ": "
                        + stderr.toString(StandardCharsets.UTF_8).strip()
                        + (feedFailure[0] != null ? " (writing its input failed: " + feedFailure[0] + ")" : ""));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while " + command.get(0) + " was compressing");
        } finally {
            process.destroyForcibly();
        }
        return output;
    }

    private static Process start(List<String> command, boolean mergeErrors) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(mergeErrors);
        FORMAT_VARIABLES.forEach(builder.environment()::remove);
        return builder.start();
    }

    private static int waitFor(Process process, List<String> command) throws IOException {
        try {
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within 10 minutes");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new InterruptedIOException("interrupted while waiting for " + command.get(0));
        }
    }

    private static void copyQuietly(InputStream in, ByteArrayOutputStream sink) {
        try (in) {
            in.transferTo(sink);
        } catch (IOException e) {
            // stderr is only for the error message
        }
    }
}
