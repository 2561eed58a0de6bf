package dev.jetpack.engine.runtime;

import dev.jetpack.engine.base.HostRootfs;
import dev.jetpack.engine.io.FileTrees;
import dev.jetpack.engine.io.HostCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What all runtimes share: preparing the rootfs, running and cleaning up, and the probe by trial run.
 * Subclasses only say how to invoke their tool.
 */
abstract class AbstractRuntime implements ContainerRuntime {
    /** The uid this JVM runs as, in decimal: the owner of /proc/self (Java has no getuid). */
    static String jvmUid() throws IOException {
        return Files.getAttribute(Path.of("/proc/self"), "unix:uid").toString();
    }

    static final String HOSTNAME = "jetpack";

    private volatile Optional<String> unavailableReason;
    private volatile long probeMillis = -1;
    private volatile boolean probeRemembered;

    @Override
    public final ContainerRun start(ContainerSpec spec, OutputSink sink) {
        Optional<String> unsupported = unsupported(spec);
        if (unsupported.isPresent()) {
            throw new ContainerException(name() + " cannot run this container: " + unsupported.get()
                    + ". Choose a runtime that can (runc or crun enforce every setting)");
        }
        PreparedRootfs prepared = PreparedRootfs.prepare(spec);
        Invocation invocation;
        try {
            invocation = invocation(spec, prepared);
        } catch (IOException | RuntimeException e) {
            prepared.removeCreated();
            if (e instanceof ContainerException ce) {
                throw ce;
            }
            throw new ContainerException(name() + ": cannot set up a container in " + spec.rootfs() + ": "
                    + e.getMessage(), e);
        }
        try {
            return ContainerProcess.start(name(), invocation, prepared, sink);
        } catch (RuntimeException e) {
            prepared.removeCreated();
            throw e;
        }
    }

    @Override
    public Optional<String> unsupported(ContainerSpec spec) {
        return Optional.empty();
    }

    /** The host command that runs the spec, given the prepared rootfs; may write files (an OCI bundle). */
    abstract Invocation invocation(ContainerSpec spec, PreparedRootfs prepared) throws IOException;

    /** Why the tool cannot be used at all without trying it (typically: not installed); empty if it may work. */
    abstract Optional<String> staticCheck();

    @Override
    public final Optional<String> unavailableReason() {
        Optional<String> reason = unavailableReason;
        if (reason == null) {
            synchronized (this) {
                if (unavailableReason == null) {
                    unavailableReason = probe();
                }
                reason = unavailableReason;
            }
        }
        return reason;
    }

    /** How long the successful trial run took, in milliseconds (start-up cost); -1 before a successful probe. */
    public long probeMillis() {
        unavailableReason();
        return probeMillis;
    }

    /** True when an earlier run's trial of this boot was taken over instead of a trial run ({@link ProbeRecord}). */
    public boolean probeRemembered() {
        unavailableReason();
        return probeRemembered;
    }

    /** The executable whose identity a remembered trial is tied to; empty to try it in every JVM. */
    Optional<Path> probedTool() {
        return findExecutable(name());
    }

    /** What a successful trial found out that later runs need too (one line each); none by default. */
    List<String> probeState() {
        return List.of();
    }

    /** Takes over {@link #probeState()} from a remembered trial. */
    void restoreProbeState(List<String> state) {
    }

    /* A trial run of /bin/true in a throwaway rootfs made of the host's own binaries: the only reliable way to
       know that a runtime works here (crun, for one, installs fine and then refuses hybrid-cgroup hosts). Once it
       passed, later runs of this boot take it over (ProbeRecord). */
    Optional<String> probe() {
        Optional<String> missing = staticCheck();
        if (missing.isPresent()) {
            return missing;
        }
        Optional<ProbeRecord> record = probedTool().flatMap(tool -> ProbeRecord.of(name(), tool));
        Optional<List<String>> remembered = record.flatMap(ProbeRecord::load);
        if (remembered.isPresent()) {
            restoreProbeState(remembered.get());
            probeRemembered = true;
            return Optional.empty();
        }
        Optional<String> reason = probeByTrial();
        if (reason.isEmpty()) {
            record.ifPresent(r -> r.save(probeState()));
        }
        return reason;
    }

    private Optional<String> probeByTrial() {
        Path rootfs = null;
        try {
            rootfs = Files.createTempDirectory("jetpack-probe-");
            HostRootfs.create(rootfs, List.of("true"));
            ContainerSpec spec = ContainerSpec.builder(rootfs, List.of("true")).build();
            return trial(spec);
        } catch (IOException | RuntimeException e) {
            return Optional.of(name() + ": trial container failed: " + e.getMessage());
        } finally {
            if (rootfs != null) {
                try {
                    FileTrees.deleteRecursively(rootfs);
                } catch (IOException e) {
                    // a temp dir left in /tmp is not worth failing the probe for
                }
            }
        }
    }

    /** Runs the trial spec; subclasses may retry in another mode before giving up. */
    Optional<String> trial(ContainerSpec spec) {
        long start = System.nanoTime();
        RunResult result = run(spec, OutputSink.DISCARD);
        if (result.succeeded()) {
            probeMillis = (System.nanoTime() - start) / 1_000_000;
            return Optional.empty();
        }
        return Optional.of(name() + ": trial container exited with " + result.exitCode()
                + (result.lastLines().isEmpty() ? "" : ": " + String.join(" / ", result.lastLines())));
    }

    /** The tool's absolute path on the host PATH, if installed. */
    static Optional<Path> findExecutable(String name) {
        for (String directory : HostCommand.HOST_PATH.split(":")) {
            Path candidate = Path.of(directory, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static Optional<String> requireExecutable(String runtime, String tool) {
        return findExecutable(tool).isPresent() ? Optional.empty()
                : Optional.of(runtime + ": not installed (no " + tool + " in " + HostCommand.HOST_PATH + ")");
    }

    /** Tool path for a command line; falls back to the bare name so that a missing tool gives a clear start error. */
    static String executable(String name) {
        return findExecutable(name).map(Path::toString).orElse(name);
    }

    @Override
    public String toString() {
        return name();
    }
}
