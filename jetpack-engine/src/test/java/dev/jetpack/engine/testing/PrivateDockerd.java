package dev.jetpack.engine.testing;

import dev.jetpack.engine.io.FileTrees;
import dev.jetpack.engine.io.HostCommand;
import dev.jetpack.engine.io.Mounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A docker daemon of the test's own (NOTES §7): data, exec state and socket under a test directory, vfs storage, no
 * bridge, no iptables, so it touches nothing of the host. Started by the test and stopped by its pid in
 * {@link #close()}, which also unmounts what it left and removes its directory.
 */
public final class PrivateDockerd implements AutoCloseable {
    private final Path directory;
    private final Path socket;
    private final Process daemon;

    private PrivateDockerd(Path directory, Path socket, Process daemon) {
        this.directory = directory;
        this.socket = socket;
        this.daemon = daemon;
    }

    /** Starts dockerd and waits until it answers (at most 60 s). */
    public static PrivateDockerd start(Path directory) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        Path socket = directory.resolve("docker.sock");
        ProcessBuilder builder = new ProcessBuilder("dockerd", "--data-root", directory.resolve("data").toString(),
                "--exec-root", directory.resolve("exec").toString(), "-H", "unix://" + socket,
                "--pidfile", directory.resolve("docker.pid").toString(), "--storage-driver", "vfs",
                "--iptables=false", "--ip6tables=false", "--bridge=none", "--ip-masq=false")
                .redirectErrorStream(true).redirectOutput(directory.resolve("dockerd.log").toFile());
        builder.environment().put("PATH", HostCommand.HOST_PATH);
        PrivateDockerd dockerd = new PrivateDockerd(directory, socket, builder.start());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!HostCommand.run(dockerd.command("version")).succeeded()) {
            if (!dockerd.daemon.isAlive() || System.nanoTime() > deadline) {
                String log = Files.readString(directory.resolve("dockerd.log"));
                dockerd.close();
                throw new IOException("dockerd did not start: " + log.substring(Math.max(0, log.length() - 2000)));
            }
            Thread.sleep(100);
        }
        return dockerd;
    }

    /** Runs {@code docker ARGS} against this daemon; fails the test with docker's output if it fails. */
    public String check(String... arguments) throws IOException {
        return HostCommand.check(command(arguments)).output();
    }

    private List<String> command(String... arguments) {
        List<String> command = new ArrayList<>(List.of("docker", "-H", "unix://" + socket));
        command.addAll(List.of(arguments));
        return command;
    }

    @Override
    public void close() throws IOException {
        try {
            daemon.destroy(); // SIGTERM to this daemon's pid: it stops its containers and its own containerd
            if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
                daemon.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            daemon.destroyForcibly();
        } finally {
            Mounts.unmountAllUnder(directory);
            FileTrees.deleteRecursively(directory);
        }
    }
}
