package dev.jetpack.engine.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the tests' real servers (docker-registry, squid) share: a free loopback port, waiting until the process
 * listens, stopping it by its process, and the htpasswd line of their Basic auth.
 */
public final class ServerProcesses {
    private ServerProcesses() {
    }

    /** A port that was free on 127.0.0.1 a moment ago. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until {@code process} accepts connections on 127.0.0.1:{@code port}; fails with {@code log} if it exits
     * first or does not listen within {@code seconds} (the caller stops it).
     */
    public static void awaitListening(Process process, int port, int seconds, String name, Supplier<String> log) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ": " + log.get());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(20);
            }
        }
        throw new IllegalStateException(name + " did not listen on 127.0.0.1:" + port + " within " + seconds + " s: "
                + log.get());
    }

    /** Stops {@code process} (SIGTERM, then SIGKILL after {@code seconds}) and waits for it; null is nothing. */
    public static void stop(Process process, int seconds) {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The htpasswd line for {@code user} (apache2-utils' {@code htpasswd -in}, the password on stdin), with the
     * hash options given ({@code -B} for bcrypt; none for its default, MD5).
     */
    public static byte[] htpasswd(String user, String password, String... hashOptions) {
        List<String> command = new ArrayList<>(List.of("htpasswd", "-in"));
        command.addAll(List.of(hashOptions));
        command.add(user);
        try {
            Process htpasswd = new ProcessBuilder(command).start();
            try (OutputStream stdin = htpasswd.getOutputStream()) {
                stdin.write(password.getBytes(StandardCharsets.UTF_8));
            }
            byte[] line = htpasswd.getInputStream().readAllBytes();
            if (htpasswd.waitFor() != 0) {
                throw new IllegalStateException("htpasswd failed: " + new String(htpasswd.getErrorStream()
                        .readAllBytes(), StandardCharsets.UTF_8));
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException("htpasswd (apache2-utils) is needed for this test", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
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
