package dev.jetpack.engine.runtime;

import java.util.Optional;

/**
 * Runs one command in a rootfs as the spec's user (uid 0 / gid 0 by default), driving an existing container tool (runc, crun, bubblewrap
 * or util-linux {@code unshare} + {@code chroot}).
 *
 * <p>Contract for every implementation:
 * <ul>
 *   <li>The command's stdout and stderr go live to the {@link OutputSink}; stdin is empty.</li>
 *   <li>The host network is shared; {@link ContainerSpec#resolvConf()} is bound read-only over the image's
 *       {@code /etc/resolv.conf}, whose own content stays untouched.</li>
 *   <li>Mount points missing in the rootfs ({@code proc}, {@code dev}, {@code sys}, the resolv.conf target)
 *       are created by the runtime before the run, reported in {@link RunResult#createdPaths()} and removed
 *       after the run if they are still empty, so that they never end up in an image whose parent lacked
 *       them.</li>
 *   <li>No container, process or mount is left behind: not after a normal exit, not when the calling thread
 *       is interrupted (the run is killed and {@link ContainerException} thrown with the interrupt flag set),
 *       and not when the JVM shuts down on SIGINT/SIGTERM (a shutdown hook kills and deletes the container).</li>
 *   <li>One run per rootfs at a time.</li>
 * </ul>
 */
public interface ContainerRuntime {
    /** The name users select it by: {@code runc}, {@code crun}, {@code bwrap} or {@code chroot}. */
    String name();

    /**
     * Empty when this runtime works on this host; otherwise why not, starting with the runtime's name (e.g.
     * "crun: not installed (no crun on PATH)"). The first call probes by running a trial container; the
     * answer is remembered for the life of the JVM.
     */
    Optional<String> unavailableReason();

    /**
     * What of {@code spec} this runtime cannot enforce (a user, a resource limit, a capability set), as a
     * sentence; empty when it can run the spec as it is. {@link #start} refuses such a spec before it starts
     * anything.
     */
    Optional<String> unsupported(ContainerSpec spec);

    /**
     * Starts {@code spec.command()} and returns once the runtime's process runs.
     *
     * @throws ContainerException when the spec is {@link #unsupported} here or the container cannot be set up
     */
    ContainerRun start(ContainerSpec spec, OutputSink sink);

    /**
     * Runs {@code spec.command()} to completion.
     *
     * @return the exit code and output tail; a non-zero exit is a result, not an exception
     * @throws ContainerException when the container cannot be set up or the run was interrupted
     */
    default RunResult run(ContainerSpec spec, OutputSink sink) {
        return start(spec, sink).waitFor();
    }
}
