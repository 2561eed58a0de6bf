package dev.jetpack.engine.runtime;

import dev.jetpack.engine.io.HostCommand;
import dev.jetpack.engine.io.ShutdownCleanup;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One started runtime process: pumps its output to the sink line by line, keeps the tail, and makes sure it is
 * killed and cleaned up however the run ends (normal exit, interrupt of the waiting thread, JVM shutdown).
 */
final class ContainerProcess {
    private final Invocation invocation;
    private final PreparedRootfs prepared;
    private final OutputSink sink;
    private final Deque<String> tail = new ArrayDeque<>();
    private final AtomicBoolean killed = new AtomicBoolean();
    private final AtomicBoolean cleanedUp = new AtomicBoolean();
    private Process process;

    private ContainerProcess(Invocation invocation, PreparedRootfs prepared, OutputSink sink) {
        this.invocation = invocation;
        this.prepared = prepared;
        this.sink = sink;
    }

    /**
     * Runs the invocation to completion and cleans up (the runtime's cleanup, then the created mount points).
     * The prepared rootfs is cleaned up even when starting fails.
     */
    static RunResult run(String runtime, Invocation invocation, PreparedRootfs prepared, OutputSink sink) {
        return new ContainerProcess(invocation, prepared, sink).run(runtime);
    }

    private RunResult run(String runtime) {
        ShutdownCleanup.Registration registration = ShutdownCleanup.register(ShutdownCleanup.Stage.PROCESSES,
                () -> {
                    kill();
                    cleanUp();
                });
        try {
            ProcessBuilder builder = new ProcessBuilder(invocation.commandLine());
            builder.environment().clear();
            builder.environment().put("PATH", HostCommand.HOST_PATH);
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new ContainerException(runtime + " could not be started (" + e.getMessage() + "): is it installed?"
                        + " Choose another runtime or install it", e);
            }
            Thread out = pump(process.getInputStream(), OutputSink.Stream.STDOUT);
            Thread err = pump(process.getErrorStream(), OutputSink.Stream.STDERR);
            int exitCode;
            try {
                exitCode = process.waitFor();
                out.join();
                err.join();
            } catch (InterruptedException e) {
                kill();
                cleanUp();
                Thread.currentThread().interrupt();
                throw new ContainerException("the " + runtime + " run of " + String.join(" ", invocation.commandLine())
                        + " was interrupted; the container was killed and removed");
            }
            cleanUp();
            synchronized (tail) {
                return new RunResult(exitCode, List.copyOf(tail), prepared.createdPaths(), prepared.keptPaths());
            }
        } finally {
            if (process != null && process.isAlive()) {
                kill();
            }
            cleanUp();
            registration.close();
        }
    }

    private Thread pump(InputStream input, OutputSink.Stream stream) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    deliver(stream, line);
                }
            } catch (IOException e) {
                // The process was killed and its pipe closed under us: nothing more to read.
            }
        }, "jetpack-container-" + stream.name().toLowerCase());
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void deliver(OutputSink.Stream stream, String line) {
        synchronized (tail) {
            tail.addLast(line);
            if (tail.size() > RunResult.TAIL_LINES) {
                tail.removeFirst();
            }
            sink.line(stream, line);
        }
    }

    /* Kills the container through its runtime first (runc's own process dying would not stop the container),
       then the runtime process with all its descendants. Idempotent. */
    private void kill() {
        if (!killed.compareAndSet(false, true)) {
            return;
        }
        try {
            invocation.kill().run();
        } finally {
            Process started = process;
            if (started != null) {
                List<ProcessHandle> family = new ArrayList<>(started.descendants().toList());
                started.destroyForcibly();
                family.forEach(ProcessHandle::destroyForcibly);
                waitForExit(started);
            }
        }
    }

    /* After the process is gone: the runtime's cleanup (delete the container, its bundle), then the mount points. */
    private void cleanUp() {
        if (process != null && process.isAlive()) {
            return; // the normal path cleans up once waitFor returned; a live process is killed first
        }
        if (!cleanedUp.compareAndSet(false, true)) {
            return;
        }
        try {
            invocation.cleanup().run();
        } finally {
            prepared.removeCreated();
        }
    }

    private static void waitForExit(Process process) {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    process.waitFor();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
