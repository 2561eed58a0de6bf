package dev.jetpack.engine.runtime;

import java.time.Duration;
import java.util.Optional;

/**
 * A started container command ({@link ContainerRuntime#start}). Thread-safe; {@link #kill()} may be called from
 * any thread and from a shutdown hook.
 */
public interface ContainerRun {
    /** True while the command (the runtime's process) runs. */
    boolean isAlive();

    /**
     * Waits for the command to exit and cleans up (container, created mount points); later calls return the
     * same result. An interrupt of the waiting thread kills the container, cleans up and throws
     * {@link ContainerException} with the interrupt flag set.
     */
    RunResult waitFor();

    /** {@link #waitFor()} for at most {@code timeout}; empty (nothing cleaned up) when it still runs then. */
    Optional<RunResult> waitFor(Duration timeout);

    /**
     * Sends {@code signal} to the command itself (not to the runtime's process). Where the command is the init
     * of its pid namespace and neither catches nor ignores the signal, the kernel would drop it; the command is
     * then killed instead and its exit code reported as 128+N of {@code signal}, as for any other process.
     * Does nothing when the command is not running.
     */
    void signal(ProcessSignal signal);

    /** Kills the container with everything in it and cleans up; idempotent. */
    void kill();
}
