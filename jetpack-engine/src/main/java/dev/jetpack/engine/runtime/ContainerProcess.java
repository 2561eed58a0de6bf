package dev.jetpack.engine.runtime;

import dev.jetpack.engine.io.HostCommand;
import dev.jetpack.engine.io.ShutdownCleanup;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One started runtime process: pumps its output to the sink line by line, keeps the tail, passes signals on to
 * the command inside, and makes sure it is killed and cleaned up however the run ends (normal exit, interrupt
 * of the waiting thread, {@link #kill()}, JVM shutdown).
 *
 * <p><b>Signals and pid 1.</b> The command is found among the runtime process's descendants by its place in
 * its pid namespace ({@link Invocation#commandPosition()}). Under runc and crun it is that namespace's init,
 * and the kernel drops any signal an init does not catch: a shell app would ignore SIGTERM.
 * So a signal the command neither catches nor ignores (its {@code SigCgt}/{@code SigIgn} masks in
 * {@code /proc}) is turned into SIGKILL and the exit code reported as 128+N of the signal sent: what a process
 * outside pid 1 would have done, and what happens by itself under bwrap and chroot, whose command is the child
 * of a helper init.
 */
final class ContainerProcess implements ContainerRun {
    private final String runtime;
    private final Invocation invocation;
    private final PreparedRootfs prepared;
    private final OutputSink sink;
    private final Deque<String> tail = new ArrayDeque<>();
    private final AtomicBoolean killed = new AtomicBoolean();
    private final AtomicBoolean cleanedUp = new AtomicBoolean();
    private volatile ProcessSignal deliveredAsKill;
    private ShutdownCleanup.Registration registration;
    private Process process;
    private Thread out;
    private Thread err;
    private RunResult result;

    private ContainerProcess(String runtime, Invocation invocation, PreparedRootfs prepared, OutputSink sink) {
        this.runtime = runtime;
        this.invocation = invocation;
        this.prepared = prepared;
        this.sink = sink;
    }

    /**
     * Starts the invocation. The prepared rootfs and the invocation are cleaned up when starting fails, and
     * otherwise by {@link #waitFor()} or {@link #kill()}.
     */
    static ContainerProcess start(String runtime, Invocation invocation, PreparedRootfs prepared, OutputSink sink) {
        ContainerProcess started = new ContainerProcess(runtime, invocation, prepared, sink);
        started.start();
        return started;
    }

    private void start() {
        registration = ShutdownCleanup.register(ShutdownCleanup.Stage.PROCESSES, this::kill);
        // A session of its own: Ctrl-C at a terminal signals the whole foreground process group, which would
        // kill the runtime's process (and with it the container) before this JVM could pass the signal on or
        // clean up in order. setsid(1) execs in place (the child is no group leader), so the pid stays.
        List<String> line = new ArrayList<>();
        line.add(AbstractRuntime.executable("setsid"));
        line.addAll(invocation.commandLine());
        ProcessBuilder builder = new ProcessBuilder(line);
        builder.environment().clear();
        builder.environment().put("PATH", HostCommand.HOST_PATH);
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            process = builder.start();
        } catch (IOException e) {
            cleanUp();
            registration.close();
            throw new ContainerException(runtime + " could not be started (" + e.getMessage() + "): is it installed?"
                    + " Choose another runtime or install it", e);
        }
        out = pump(process.getInputStream(), OutputSink.Stream.STDOUT);
        err = pump(process.getErrorStream(), OutputSink.Stream.STDERR);
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public synchronized RunResult waitFor() {
        if (result != null) {
            return result;
        }
        int exitCode;
        try {
            exitCode = process.waitFor();
            out.join();
            err.join();
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
            throw new ContainerException("the " + runtime + " run of " + String.join(" ", invocation.commandLine())
                    + " was interrupted; the container was killed and removed");
        }
        cleanUp();
        registration.close();
        ProcessSignal signal = deliveredAsKill;
        if (signal != null && exitCode == ProcessSignal.KILL.exitCode()) {
            exitCode = signal.exitCode();
        }
        synchronized (tail) {
            result = new RunResult(exitCode, List.copyOf(tail), prepared.createdPaths(), prepared.keptPaths());
        }
        return result;
    }

    @Override
    public Optional<RunResult> waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
            throw new ContainerException("the " + runtime + " run was interrupted; the container was killed and removed");
        }
        return Optional.of(waitFor());
    }

    @Override
    public void signal(ProcessSignal signal) {
        Optional<Long> command = commandPid();
        if (command.isEmpty()) {
            return;
        }
        ProcessSignal sent = signal;
        if (invocation.commandPosition() == Invocation.CommandPosition.NAMESPACE_INIT && signal != ProcessSignal.KILL) {
            ProcStatus masks = ProcStatus.of(command.get());
            if (masks.ignores(signal)) {
                return;
            }
            if (!masks.catches(signal)) {
                deliveredAsKill = signal;
                sent = ProcessSignal.KILL;
            }
        }
        HostCommand.run(List.of("kill", "-s", sent.name(), Long.toString(command.get())));
    }

    /* The command's host pid: the namespace's init (the descendant whose innermost pid is 1), or its first child. */
    private Optional<Long> commandPid() {
        if (!process.isAlive()) {
            return Optional.empty();
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        Optional<ProcessHandle> init = descendants.stream().filter(descendant -> {
            List<Long> namespacePids = ProcStatus.namespacePids(descendant.pid());
            return namespacePids.size() > 1 && namespacePids.get(namespacePids.size() - 1) == 1;
        }).findFirst();
        if (init.isEmpty() || invocation.commandPosition() == Invocation.CommandPosition.NAMESPACE_INIT) {
            return init.map(ProcessHandle::pid);
        }
        return descendants.stream()
                .filter(descendant -> descendant.parent().map(parent -> parent.pid() == init.get().pid()).orElse(false))
                .map(ProcessHandle::pid)
                .min(java.util.Comparator.comparing(pid -> {
                    List<Long> namespacePids = ProcStatus.namespacePids(pid);
                    return namespacePids.isEmpty() ? Long.MAX_VALUE : namespacePids.get(namespacePids.size() - 1);
                }));
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
       then the runtime process with all its descendants, then cleans up. Idempotent. */
    @Override
    public void kill() {
        if (killed.compareAndSet(false, true)) {
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
        cleanUp();
        if (registration != null) {
            registration.close();
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

    /** What {@code /proc/PID/status} says of a process's signals and namespaces. */
    private record ProcStatus(long caught, long ignored) {
        static ProcStatus of(long pid) {
            long caught = 0;
            long ignored = 0;
            for (String line : status(pid)) {
                if (line.startsWith("SigCgt:")) {
                    caught = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                } else if (line.startsWith("SigIgn:")) {
                    ignored = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                }
            }
            return new ProcStatus(caught, ignored);
        }

        boolean catches(ProcessSignal signal) {
            return (caught & (1L << (signal.number() - 1))) != 0;
        }

        boolean ignores(ProcessSignal signal) {
            return (ignored & (1L << (signal.number() - 1))) != 0;
        }

        /* The NSpid line: the pid in each pid namespace, outermost first. */
        static List<Long> namespacePids(long pid) {
            for (String line : status(pid)) {
                if (line.startsWith("NSpid:")) {
                    List<Long> pids = new ArrayList<>();
                    for (String field : line.substring(6).trim().split("\\s+")) {
                        pids.add(Long.parseLong(field));
                    }
                    return pids;
                }
            }
            return List.of();
        }

        private static List<String> status(long pid) {
            try {
                return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
            } catch (IOException | RuntimeException e) {
                return List.of(); // gone meanwhile
            }
        }
    }
}
