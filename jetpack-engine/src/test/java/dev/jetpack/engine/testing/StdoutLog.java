package dev.jetpack.engine.testing;

import dev.jetpack.engine.EngineLog;

/**
 * The log of the child JVMs that multi-process tests start: each line on stdout with its level, so that the
 * parent test can wait for and assert on what the child did.
 */
public final class StdoutLog implements EngineLog {
    @Override
    public void debug(String message) {
    }

    @Override
    public void info(String message) {
        System.out.println("INFO " + message);
    }

    @Override
    public void warn(String message) {
        System.out.println("WARN " + message);
    }
}
