package dev.jetpack.engine.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code docker-registry serve} (Debian's distribution 2.8) on 127.0.0.1 and a free port, with a config
 * written here (never the packaged one, which listens on all interfaces): filesystem storage in a directory of
 * the test, optionally htpasswd (bcrypt, made with {@code htpasswd -Bi}, the password on stdin) or token auth,
 * optionally TLS. Started and stopped by the test, by its process; {@link #stop()} then {@link #start()} again
 * keeps the port and the stored content.
 */
public final class TestRegistry implements AutoCloseable {
    private final Path directory;
    private final int port;
    private final StringBuilder authConfig = new StringBuilder();
    private String tlsConfig = "";
    private Process process;

    private TestRegistry(Path directory) {
        this.directory = directory;
        this.port = freePort();
    }

    /** A registry keeping its config, storage and log in {@code directory}; configure it, then {@link #start()}. */
    public static TestRegistry in(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TestRegistry(directory);
    }

    /** Basic auth against an htpasswd file with this one user. */
    public TestRegistry htpasswd(String user, String password) {
        Path file = directory.resolve("htpasswd");
        try {
            Process htpasswd = new ProcessBuilder("htpasswd", "-Bin", user).redirectErrorStream(false).start();
            try (OutputStream stdin = htpasswd.getOutputStream()) {
                stdin.write(password.getBytes(StandardCharsets.UTF_8));
            }
            byte[] line = htpasswd.getInputStream().readAllBytes();
            if (htpasswd.waitFor() != 0) {
                throw new IllegalStateException("htpasswd failed: " + new String(htpasswd.getErrorStream()
                        .readAllBytes(), StandardCharsets.UTF_8));
            }
            Files.write(file, line);
        } catch (IOException e) {
            throw new UncheckedIOException("htpasswd (apache2-utils) is needed for this test", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        authConfig.append("auth:\n  htpasswd:\n    realm: jetpack-test\n    path: ").append(file).append('\n');
        return this;
    }

    /** Token auth: tokens from {@code server}, which signs them with the certificate in its bundle. */
    public TestRegistry token(TestTokenServer server) {
        authConfig.append("auth:\n  token:\n    realm: ").append(server.realm()).append("\n    service: ")
                .append(server.service()).append("\n    issuer: ").append(TestTokenServer.ISSUER)
                .append("\n    rootcertbundle: ").append(server.certificateFile()).append('\n');
        return this;
    }

    /** Serves HTTPS with {@code certificate} (for 127.0.0.1). */
    public TestRegistry tls(SelfSignedCertificate certificate) {
        try {
            Path cert = directory.resolve("tls.crt");
            Path key = directory.resolve("tls.key");
            Files.writeString(cert, certificate.certificatePem());
            Files.writeString(key, certificate.privateKeyPem());
            tlsConfig = "  tls:\n    certificate: " + cert + "\n    key: " + key + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public TestRegistry start() {
        Path config = directory.resolve("config.yml");
        String yaml = "version: 0.1\n"
                + "log:\n  level: info\n  accesslog:\n    disabled: true\n"
                + "storage:\n  filesystem:\n    rootdirectory: " + storage() + "\n  delete:\n    enabled: true\n"
                + "http:\n  addr: 127.0.0.1:" + port + "\n  secret: jetpack-test-secret\n" + tlsConfig
                + authConfig;
        try {
            Files.writeString(config, yaml);
            process = new ProcessBuilder("docker-registry", "serve", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("registry.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("docker-registry (Debian package docker-registry) is needed", e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited with " + process.exitValue() + ": "
                        + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return this;
            } catch (IOException notYet) {
                sleep(20);
            }
        }
        stop();
        throw new IllegalStateException("docker-registry did not listen on 127.0.0.1:" + port + ": " + log());
    }

    /** Stops the registry process (by its pid) and waits for it. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** {@code 127.0.0.1:PORT}, the registry part of references. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path storage() {
        return directory.resolve("storage");
    }

    /** Whether the registry's storage holds the blob data of {@code hex} (sha256), in any repository. */
    public boolean storesBlob(String hex) {
        return Files.exists(storage().resolve("docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2))
                .resolve(hex).resolve("data"));
    }

    public String log() {
        try {
            return Files.readString(directory.resolve("registry.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
