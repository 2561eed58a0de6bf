package dev.jetpack.engine.run;

import dev.jetpack.engine.JetpackException;

/** An app cannot be run as asked: no {@code app} in the image, a user that does not resolve, a bad volume... */
public class RunException extends JetpackException {
    private static final long serialVersionUID = 1L;

    public RunException(String message) {
        super(message);
    }

    public RunException(String message, Throwable cause) {
        super(message, cause);
    }
}
