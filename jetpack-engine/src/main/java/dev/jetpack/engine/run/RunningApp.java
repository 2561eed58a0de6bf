package dev.jetpack.engine.run;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.build.BuildContainer;
import dev.jetpack.engine.runtime.ContainerRun;
import dev.jetpack.engine.runtime.ProcessSignal;
import dev.jetpack.engine.runtime.RunResult;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@link AppRun} of a started app: its container run, the post-stop handler that follows it, and the
 * overlay the whole run happens in. Once the app exited: post-stop (once), then the overlay and the run's
 * directory are removed ({@link #close()} at the latest).
 */
final class RunningApp implements AppRun {
    /** How long {@link #close()} lets a running app end on SIGTERM before it kills it. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private final String name;
    private final ContainerRun app;
    private final Supplier<Optional<RunResult>> postStop;
    private final BuildContainer container;
    private final EngineLog log;
    private Integer exitCode;
    private boolean closed;

    RunningApp(String name, ContainerRun app, Supplier<Optional<RunResult>> postStop, BuildContainer container,
               EngineLog log) {
        this.name = name;
        this.app = app;
        this.postStop = postStop;
        this.container = container;
        this.log = log;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isAlive() {
        return app.isAlive();
    }

    @Override
    public int waitFor() {
        return finished(app.waitFor());
    }

    @Override
    public Optional<Integer> waitFor(Duration timeout) {
        return app.waitFor(timeout).map(this::finished);
    }

    @Override
    public int stop(Duration grace) {
        app.signal(ProcessSignal.TERM);
        Optional<Integer> ended = waitFor(grace);
        if (ended.isPresent()) {
            return ended.get();
        }
        log.warn("The app " + name + " did not end within " + grace.toMillis() + " ms of SIGTERM: killing it");
        app.signal(ProcessSignal.KILL);
        return waitFor();
    }

    @Override
    public void signal(ProcessSignal signal) {
        app.signal(signal);
    }

    /* The app's exit, then post-stop, once. */
    private synchronized int finished(RunResult result) {
        if (exitCode == null) {
            exitCode = result.exitCode();
            log.info("The app " + name + " exited with " + exitCode + describeSignal(exitCode));
            if (!closed) {
                runPostStop();
            }
        }
        return exitCode;
    }

    /* A post-stop that fails, or cannot start (e.g. while the JVM shuts down), is reported; the app's exit stands. */
    private void runPostStop() {
        try {
            postStop.get().filter(handler -> !handler.succeeded()).ifPresent(handler -> log.warn(
                    "The post-stop handler of " + name + " exited with " + handler.exitCode()
                            + (handler.lastLines().isEmpty() ? "" : ": " + String.join(" / ", handler.lastLines()))));
        } catch (RuntimeException e) {
            log.warn("The post-stop handler of " + name + " could not run: " + e.getMessage());
        }
    }

    static String describeSignal(int exitCode) {
        for (ProcessSignal signal : ProcessSignal.values()) {
            if (signal.exitCode() == exitCode) {
                return " (killed by SIG" + signal.name() + ")";
            }
        }
        return "";
    }

    @Override
    public void close() {
        try {
            if (app.isAlive()) {
                stop(CLOSE_GRACE);
            }
        } finally {
            synchronized (this) {
                closed = true;
            }
            app.kill(); // idempotent: after an exit it only makes sure the cleanup ran
            container.close();
        }
    }
}
