package dev.jetpack.engine;

/**
 * Where the engine reports what it does. The Maven plugin adapts it to Maven's log, the command line to
 * stderr; the engine never prints on its own.
 */
public interface EngineLog {
    void debug(String message);

    void info(String message);

    void warn(String message);

    /** A log that drops everything: for callers that do not care, and for tests. */
    EngineLog SILENT = new EngineLog() {
        @Override
        public void debug(String message) {
        }

        @Override
        public void info(String message) {
        }

        @Override
        public void warn(String message) {
        }
    };
}
