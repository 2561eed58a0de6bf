package dev.jetpack.engine.store;

import dev.jetpack.engine.JetpackException;

/** A problem with the local image store: a failed import, an unknown or ambiguous image, a refused removal. */
public class StoreException extends JetpackException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
