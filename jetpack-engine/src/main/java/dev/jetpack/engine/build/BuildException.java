package dev.jetpack.engine.build;

import dev.jetpack.engine.JetpackException;

/** A build that cannot go on: bad inputs, a missing or invalid manifest, a step that failed. */
public class BuildException extends JetpackException {
    private static final long serialVersionUID = 1L;

    public BuildException(String message) {
        super(message);
    }

    public BuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
