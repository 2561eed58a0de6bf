package dev.jetpack.maven;

import dev.jetpack.engine.EngineLog;
import org.apache.maven.plugin.logging.Log;

/** The engine's log written to Maven's: debug only with {@code -X}, info and warnings as they are. */
public final class MavenEngineLog implements EngineLog {
    private final Log log;

    public MavenEngineLog(Log log) {
        this.log = log;
    }

    @Override
    public void debug(String message) {
        log.debug(message);
    }

    @Override
    public void info(String message) {
        log.info(message);
    }

    @Override
    public void warn(String message) {
        log.warn(message);
    }
}
