package dev.jetpack.engine.run;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.JetpackSettings;
import dev.jetpack.engine.store.ImageStore;

import java.util.Objects;

/**
 * The use case behind {@code Jetpack.start} and {@code Jetpack.run}: runs a stored image's app as the appc
 * executor specification says.
 */
public final class AppRunner {
    private final ImageStore store;
    private final JetpackSettings settings;
    private final EngineLog log;

    public AppRunner(ImageStore store, JetpackSettings settings, EngineLog log) {
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** Starts the app in the background; returns once its process runs (pre-start done). */
    public AppRun start(AppRunSpec spec) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Runs the app in the foreground, passing on SIGINT and SIGTERM; returns its exit code. */
    public int run(AppRunSpec spec) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
