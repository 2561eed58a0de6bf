package dev.jetpack.engine.testing;

import dev.jetpack.engine.io.FileTrees;
import dev.jetpack.engine.io.HostCommand;
import dev.jetpack.engine.io.Mounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * podman with storage of its own under a test directory (vfs, so no overlay mounts), and the flags it needs on this
 * host (NOTES §7): runc, no network, explicit ulimits, cgroupfs, no event log. {@link #close()} removes its images
 * and the storage, and unmounts anything podman left below it. podman refuses a runroot path over 50 characters:
 * give a short directory (a JUnit {@code @TempDir} under /tmp is).
 */
public final class PrivatePodman implements AutoCloseable {
    private final Path directory;

    public PrivatePodman(Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
    }

    /** Runs {@code podman ARGS} with the private storage; fails the test with podman's output if it fails. */
    public String check(String... arguments) throws IOException {
        return HostCommand.check(command(arguments)).output();
    }

    /** Runs {@code IMAGE ARGS} and returns what it printed. */
    public String run(String image, String... arguments) throws IOException {
        List<String> run = new ArrayList<>(List.of("run", "--rm", "--network", "none",
                "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", image));
        run.addAll(List.of(arguments));
        return check(run.toArray(String[]::new));
    }

    private List<String> command(String... arguments) {
        List<String> command = new ArrayList<>(List.of("podman", "--root", directory.resolve("root").toString(),
                "--runroot", directory.resolve("runroot").toString(), "--tmpdir", directory.resolve("tmp").toString(),
                "--storage-driver", "vfs", "--runtime", "runc", "--cgroup-manager", "cgroupfs",
                "--events-backend", "none"));
        command.addAll(List.of(arguments));
        return command;
    }

    @Override
    public void close() throws IOException {
        try {
            HostCommand.run(command("rmi", "--all", "--force"));
        } finally {
            Mounts.unmountAllUnder(directory);
            FileTrees.deleteRecursively(directory);
        }
    }
}
