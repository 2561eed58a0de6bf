package dev.jetpack.engine.build.stage;

import dev.jetpack.engine.JetpackException;

/** The stage cache cannot be read or written; the message names the directory and what to do. */
public final class StageCacheException extends JetpackException {
    public StageCacheException(String message, Throwable cause) {
        super(message, cause);
    }
}
