package dev.jetpack.engine.reliability;

import dev.jetpack.engine.aci.AciWriter;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.WriterOptions;
import dev.jetpack.engine.base.HostRootfs;
import dev.jetpack.engine.io.HostCommand;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.ManifestCodec;
import dev.jetpack.engine.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Child JVMs, their output, and what the host says about mounts and OCI containers. */
final class Processes {
    private Processes() {
    }

    /** A child JVM running {@link ChildMain} whose output lines are collected as they come. */
    static final class Child {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        private final Thread reader;

        Child(String... args) throws IOException {
            process = new ProcessBuilder(ChildJvm.command(ChildMain.class, args)).redirectErrorStream(true).start();
            reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("(output lost: " + e + ")");
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        long pid() {
            return process.pid();
        }

        boolean printed(String prefix) {
            return lines.stream().anyMatch(line -> line.startsWith(prefix));
        }

        /** SIGKILL, as `kill -9` would: no shutdown hook, no finally block runs. */
        void kill9() throws InterruptedException {
            HostCommand.run(List.of("kill", "-9", Long.toString(process.pid())));
            process.waitFor(30, TimeUnit.SECONDS);
            if (process.isAlive()) {
                throw new AssertionError("child " + process.pid() + " survived kill -9");
            }
        }

        String finish() throws InterruptedException {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("child did not finish: " + output());
            }
            reader.join(10_000);
            return output();
        }

        String output() {
            return String.join("\n", lines);
        }

        /** Polls until {@code condition} holds; fails when the child exits first or after a minute. */
        void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!condition.getAsBoolean()) {
                if (!process.isAlive()) {
                    Thread.sleep(200);
                    throw new AssertionError("child exited before " + what + ": " + output());
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("child did not reach '" + what + "' within a minute: " + output());
                }
                Thread.sleep(20);
            }
        }
    }

    /** Mount points at or below {@code directory}, from the kernel's mount table. */
    static List<String> mountsUnder(Path directory) throws IOException {
        String prefix = directory.toAbsolutePath().normalize().toString();
        List<String> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String point = line.split(" ")[4].replace("\\040", " ");
            if (point.equals(prefix) || point.startsWith(prefix + "/")) {
                mounts.add(point);
            }
        }
        return mounts;
    }

    /** Ids of the runc containers this engine created for the JVM with {@code pid}. */
    static List<String> runcContainersOf(long pid) {
        String output = HostCommand.run(List.of("runc", "list", "-q")).output();
        return output.lines().filter(id -> id.startsWith("jetpack-" + pid + "-")).toList();
    }

    /** A parent image made of the host's own binaries (sh, sleep, mkdir...), written as an uncompressed ACI. */
    static Path parentAci(Path workDir, String name) throws IOException {
        Path rootfs = workDir.resolve("parent-rootfs");
        HostRootfs.create(rootfs, HostRootfs.DEFAULT_COMMANDS);
        Path aci = workDir.resolve("parent.aci");
        ImageManifest manifest = ImageManifest.named(name).withLabel("version", "1.0").withLabel("os", "linux")
                .withLabel("arch", dev.jetpack.engine.fetch.discovery.HostPlatform.arch());
        AciWriter.write(ManifestCodec.write(manifest, false), rootfs, aci,
                WriterOptions.builder().compression(Compression.NONE).build());
        return aci;
    }

    /** A build command that writes a valid manifest (and a file, so that the image differs from the parent). */
    static String manifestCommand(String name) {
        return "echo built > /built.txt && printf '{\"name\":\"" + name + "\"}' > manifest.json";
    }
}
