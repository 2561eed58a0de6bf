package dev.jetpack.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs shell pipelines (the GNU side of each comparison) and fails loudly when one fails. */
final class Shell {
    private Shell() {
    }

    static void run(String script) {
        try {
            Process process = new ProcessBuilder(List.of("/bin/bash", "-o", "pipefail", "-c", script))
                    .redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            int status = process.waitFor();
            if (status != 0) {
                throw new IllegalStateException("'" + script + "' exited with " + status + ": "
                        + new String(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run '" + script + "': " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static String output(String script) {
        try {
            Process process = new ProcessBuilder(List.of("/bin/bash", "-o", "pipefail", "-c", script))
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("'" + script + "' failed: " + output);
            }
            return output.trim();
        } catch (IOException e) {
            throw new IllegalStateException("could not run '" + script + "': " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static String quote(Object path) {
        return "'" + path.toString().replace("'", "'\\''") + "'";
    }
}
