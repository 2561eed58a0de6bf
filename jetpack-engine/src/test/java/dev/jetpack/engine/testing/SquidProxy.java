package dev.jetpack.engine.testing;

import dev.jetpack.engine.io.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real authenticating proxy: Debian's squid on 127.0.0.1 and a free port, with a private configuration (Basic
 * auth against an htpasswd file of one user, checked by squid's {@code basic_ncsa_auth}; no cache, no ICMP
 * pinger, CONNECT to any port), started by the test and stopped by its process.
 *
 * <p>Clients reach loopback addresses directly, never through a proxy, so the proxy's own {@code hosts_file} maps
 * {@link #PROXIED_HOST} to 127.0.0.1: a test server on loopback is {@code http://images.proxied.test:PORT/} through
 * the proxy, and unreachable without it (the name resolves nowhere else).
 *
 * <p>Started as root, squid runs as the {@code proxy} user the package creates, so its directory belongs to that
 * user. Its access log names the user of each request ({@link #accessLog()}).
 */
public final class SquidProxy implements AutoCloseable {
    public static final String PROXIED_HOST = "images.proxied.test";

    private final Path directory;
    private final int port;
    private Process process;

    private SquidProxy(Path directory, int port) {
        this.directory = directory;
        this.port = port;
    }

    /** Starts squid with {@code user}/{@code password} as its only credentials; its files go to a new directory. */
    public static SquidProxy start(String user, String password) {
        Path directory;
        try {
            // Not under a JUnit @TempDir: that is private to root, and squid's helpers run as proxy.
            directory = Files.createTempDirectory("jetpack-squid-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SquidProxy proxy = new SquidProxy(directory, ServerProcesses.freePort());
        try {
            proxy.configure(user, password);
            proxy.launch();
            return proxy;
        } catch (RuntimeException e) {
            proxy.close();
            throw e;
        }
    }

    private void configure(String user, String password) {
        try {
            Files.write(directory.resolve("passwd"), ServerProcesses.htpasswd(user, password));
            Files.writeString(directory.resolve("hosts"), "127.0.0.1 " + PROXIED_HOST + "\n");
            Files.writeString(directory.resolve("squid.conf"), String.join("\n",
                    "http_port 127.0.0.1:" + port,
                    "pid_filename " + directory.resolve("squid.pid"),
                    "cache_log " + directory.resolve("cache.log"),
                    "access_log stdio:" + directory.resolve("access.log"),
                    "coredump_dir " + directory,
                    "cache deny all",
                    "pinger_enable off",
                    "shutdown_lifetime 0 seconds",
                    "hosts_file " + directory.resolve("hosts"),
                    "auth_param basic program /usr/lib/squid/basic_ncsa_auth " + directory.resolve("passwd"),
                    "auth_param basic children 2",
                    "auth_param basic realm jetpack-test-proxy",
                    "acl authenticated proxy_auth REQUIRED",
                    "http_access allow authenticated",
                    "http_access deny all",
                    ""));
            if ("root".equals(System.getProperty("user.name"))) {
                UserPrincipal proxyUser = directory.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName("proxy");
                try (Stream<Path> files = Files.list(directory)) {
                    for (Path file : files.toList()) {
                        Files.setOwner(file, proxyUser);
                    }
                }
                Files.setOwner(directory, proxyUser);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up squid in " + directory + " (the Debian package squid"
                    + " makes the user proxy)", e);
        }
    }

    private void launch() {
        try {
            // -N: in the foreground, one process, so that stopping it by its pid stops squid (and its helpers).
            process = new ProcessBuilder("squid", "-N", "-f", directory.resolve("squid.conf").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("squid.out").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("squid (Debian package squid) is needed for this test", e);
        }
        ServerProcesses.awaitListening(process, port, 30, "squid", this::log);
    }

    public int port() {
        return port;
    }

    /** {@code http://USER:PASSWORD@127.0.0.1:PORT}, both parts percent-encoded, as http_proxy takes it. */
    public String url(String user, String password) {
        return "http://" + encode(user) + ":" + encode(password) + "@127.0.0.1:" + port;
    }

    /** {@code http://127.0.0.1:PORT}, without credentials. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The access log's lines: time, ..., result/status, bytes, method, URL, user, ... */
    public List<String> accessLog() {
        try {
            Path file = directory.resolve("access.log");
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits (up to 15 s) for an access log line that {@code matching} accepts and returns it: squid writes a
     * request's line when the transaction ends, which may be a moment after the client has its answer.
     */
    public String awaitAccessLog(Predicate<String> matching) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            Optional<String> line = accessLog().stream().filter(matching).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("squid's access log has no such line within 15 s: " + accessLog());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** squid's own output and cache.log, for failure messages. */
    public String log() {
        StringBuilder text = new StringBuilder();
        for (String name : List.of("squid.out", "cache.log")) {
            try {
                Path file = directory.resolve(name);
                if (Files.exists(file)) {
                    text.append("--- ").append(name).append(":\n").append(Files.readString(file));
                }
            } catch (IOException e) {
                text.append("(").append(name).append(": ").append(e.getMessage()).append(")");
            }
        }
        return text.toString();
    }

    /** Stops squid by its pid, waits for it, and removes its directory. */
    @Override
    public void close() {
        ServerProcesses.stop(process, 10);
        process = null;
        try {
            FileTrees.deleteRecursively(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove squid's directory " + directory, e);
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
