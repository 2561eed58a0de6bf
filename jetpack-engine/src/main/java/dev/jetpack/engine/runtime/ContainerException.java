package dev.jetpack.engine.runtime;

import dev.jetpack.engine.JetpackException;

/** A container could not be set up, run or cleaned up (not: the command inside exited non-zero). */
public class ContainerException extends JetpackException {
    private static final long serialVersionUID = 1L;

    public ContainerException(String message) {
        super(message);
    }

    public ContainerException(String message, Throwable cause) {
        super(message, cause);
    }
}
