package dev.jetpack.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
    private boolean relativeUrls;
    private Process process;

    private TestRegistry(Path directory) {
        this.directory = directory;
        this.port = ServerProcesses.freePort();
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
            Files.write(file, ServerProcesses.htpasswd(user, password, "-B"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    /** Location headers as paths without scheme and host ({@code http.relativeurls}), as some proxies rewrite them. */
    public TestRegistry relativeUrls() {
        this.relativeUrls = true;
        return this;
    }

    public TestRegistry start() {
        Path config = directory.resolve("config.yml");
        String yaml = "version: 0.1\n"
                + "log:\n  level: info\n  accesslog:\n    disabled: true\n"
                + "storage:\n  filesystem:\n    rootdirectory: " + storage() + "\n  delete:\n    enabled: true\n"
                + "http:\n  addr: 127.0.0.1:" + port + "\n  secret: jetpack-test-secret\n"
                + (relativeUrls ? "  relativeurls: true\n" : "") + tlsConfig
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
        try {
            ServerProcesses.awaitListening(process, port, 15, "docker-registry", this::log);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        return this;
    }

    /** Stops the registry process (by its pid) and waits for it. */
    public void stop() {
        ServerProcesses.stop(process, 5);
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
}
