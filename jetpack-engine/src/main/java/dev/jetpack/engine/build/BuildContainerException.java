package dev.jetpack.engine.build;

import dev.jetpack.engine.JetpackException;

/** A build container could not be created or removed. */
public class BuildContainerException extends JetpackException {
    private static final long serialVersionUID = 1L;

    public BuildContainerException(String message) {
        super(message);
    }

    public BuildContainerException(String message, Throwable cause) {
        super(message, cause);
    }
}
