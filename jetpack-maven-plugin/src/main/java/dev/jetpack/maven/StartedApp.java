package dev.jetpack.maven;

import dev.jetpack.engine.io.ShutdownCleanup;
import dev.jetpack.engine.run.AppRun;
import java.time.Duration;

/**
 * An app that {@code jetpack:start} started in this JVM, until {@code jetpack:stop} stops it.
 *
 * @param cleanup removes the app when the JVM exits before {@code jetpack:stop} ran (a failing mojo between the
 *                two, Ctrl-C); deregistered by {@link #stop}
 */
record StartedApp(String name, AppRun run, AppOutput output, ShutdownCleanup.Registration cleanup) {
    /** Starts the shutdown registration for {@code run}: it closes the app (and its log) at JVM exit. */
    static StartedApp track(String name, AppRun run, AppOutput output) {
        ShutdownCleanup.Registration cleanup = ShutdownCleanup.register(ShutdownCleanup.Stage.PROCESSES, () -> {
            run.close();
            output.close();
        });
        return new StartedApp(name, run, output, cleanup);
    }

    /**
     * SIGTERM, SIGKILL after {@code grace}; then removes the app's container, overlay and work directory.
     *
     * @return the app's exit code
     */
    int stop(Duration grace) {
        try {
            return run.stop(grace);
        } finally {
            try {
                run.close();
            } finally {
                output.close();
                cleanup.close();
            }
        }
    }
}
