package dev.jetpack.engine;

/**
 * The one exception type the engine throws for problems a user can act on.
 *
 * <p>Every message names the thing that is wrong, the rule it breaks, and what to do about it, because the
 * Maven plugin and the command line show it to the user as it is. Subpackages subclass it so that callers can
 * tell a bad archive from a failed download without parsing text.
 */
public class JetpackException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JetpackException(String message) {
        super(message);
    }

    public JetpackException(String message, Throwable cause) {
        super(message, cause);
    }
}
