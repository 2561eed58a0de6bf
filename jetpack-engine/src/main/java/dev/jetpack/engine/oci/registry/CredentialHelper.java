package dev.jetpack.engine.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A docker credential helper, {@code docker-credential-NAME}: {@code get} with the server on stdin answers
 * {@code {"Username": ..., "Secret": ...}} (docker-credential-helpers' protocol), or fails with "credentials not
 * found" when it has none. It is looked up on the PATH of the environment the credential store was given.
 */
final class CredentialHelper {
    private static final long TIMEOUT_SECONDS = 30;

    private final String name;
    private final String path;

    CredentialHelper(String name, String path) {
        this.name = name;
        this.path = path == null ? "" : path;
    }

    String program() {
        return "docker-credential-" + name;
    }

    /** The helper's credentials for {@code server}; empty when it has none for it. */
    Optional<Credentials> get(String server) {
        Path executable = locate().orElseThrow(() -> new RegistryException("The credential helper " + program()
                + " (named in a docker config file for " + server + ") is not on the PATH (" + path + "). Install"
                + " it, or remove it from credHelpers/credsStore"));
        Process process;
        try {
            process = new ProcessBuilder(executable.toString(), "get").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new RegistryException("Cannot run the credential helper " + executable + ": " + e.getMessage(), e);
        }
        try {
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(server.getBytes(StandardCharsets.UTF_8));
            }
            byte[] output;
            try (InputStream stdout = process.getInputStream()) {
                output = stdout.readNBytes(1 << 20);
            }
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new RegistryException("The credential helper " + executable + " did not answer within "
                        + TIMEOUT_SECONDS + " s for " + server + "; check that it does not wait for input");
            }
            String text = new String(output, StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0) {
                if (text.toLowerCase(java.util.Locale.ROOT).contains("credentials not found")) {
                    return Optional.empty();
                }
                throw new RegistryException("The credential helper " + executable + " failed for " + server
                        + " (exit " + process.exitValue() + "): " + text);
            }
            JsonNode answer = new ObjectMapper().readTree(text);
            String username = answer == null ? null : answer.path("Username").asText(null);
            String secret = answer == null ? null : answer.path("Secret").asText(null);
            if (username == null || secret == null) {
                throw new RegistryException("The credential helper " + executable + " answered for " + server
                        + " without Username and Secret");
            }
            return Optional.of(username.equals(Credentials.IDENTITY_TOKEN_USER) ? Credentials.identityToken(secret)
                    : new Credentials(username, secret));
        } catch (IOException e) {
            throw new RegistryException("The credential helper " + executable + " gave no usable answer for "
                    + server + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("Interrupted while waiting for the credential helper " + executable, e);
        } finally {
            process.destroyForcibly();
        }
    }

    private Optional<Path> locate() {
        for (String directory : path.split(":")) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, program());
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
