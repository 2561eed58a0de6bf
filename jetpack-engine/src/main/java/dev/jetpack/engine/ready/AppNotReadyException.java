package dev.jetpack.engine.ready;

import dev.jetpack.engine.JetpackException;

/** A started app did not become ready: it exited first, or the wait timed out. The message has its log tail. */
public class AppNotReadyException extends JetpackException {
    private static final long serialVersionUID = 1L;

    public AppNotReadyException(String message) {
        super(message);
    }
}
