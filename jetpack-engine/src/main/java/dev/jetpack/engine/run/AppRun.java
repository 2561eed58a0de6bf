package dev.jetpack.engine.run;

import dev.jetpack.engine.runtime.ProcessSignal;

import java.time.Duration;
import java.util.Optional;

/**
 * A started app (see {@code Jetpack.start}): its pre-start handler has succeeded and its {@code exec} runs in a
 * container over an overlay of its image. Exit codes are the app's own, or 128+N when signal N killed it (as
 * shells report it).
 *
 * <p>Thread-safe. {@link #close()} may be called from any thread, and from a shutdown hook.
 */
public interface AppRun extends AutoCloseable {
    /** The instance name (as in logs, and in {@code AC_APP_NAME}). */
    String name();

    /** True while the app's process runs. */
    boolean isAlive();

    /**
     * Waits until the app exits, then runs its post-stop handler.
     *
     * @return the app's exit code
     */
    int waitFor();

    /** {@link #waitFor()} for at most {@code timeout}; empty when the app still runs then. */
    Optional<Integer> waitFor(Duration timeout);

    /**
     * Sends SIGTERM to the app, and SIGKILL when it still runs after {@code grace}; then runs post-stop.
     *
     * @return the app's exit code (143 when SIGTERM ended it, 137 for SIGKILL, unless it exits by itself)
     */
    int stop(Duration grace);

    /**
     * Sends a signal to the app, as the foreground run passes on the SIGINT and SIGTERM it gets. A signal the
     * app neither catches nor ignores ends it, with 128+N as its exit code, on every runtime. Does nothing once
     * the app exited.
     */
    void signal(ProcessSignal signal);

    /**
     * Stops the app if it still runs (SIGTERM, SIGKILL after a short grace), then removes its container,
     * overlay and work directory. Idempotent.
     */
    @Override
    void close();
}
