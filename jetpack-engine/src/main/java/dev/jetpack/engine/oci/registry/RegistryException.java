package dev.jetpack.engine.oci.registry;

import dev.jetpack.engine.JetpackException;
import java.util.OptionalInt;

/**
 * Talking to a registry failed, or a reference or credential source is unusable. The message names the registry
 * and image, what the registry answered (status and its error codes) and what to do.
 */
public class RegistryException extends JetpackException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final boolean transientFailure;

    public RegistryException(String message) {
        this(message, -1, null);
    }

    public RegistryException(String message, Throwable cause) {
        this(message, -1, cause);
    }

    /** @param status the HTTP status, or -1 when the failure was not an HTTP answer */
    public RegistryException(String message, int status, Throwable cause) {
        this(message, status, cause, false);
    }

    private RegistryException(String message, int status, Throwable cause, boolean transientFailure) {
        super(message, cause);
        this.status = status;
        this.transientFailure = transientFailure;
    }

    /**
     * A failure that the same request may not meet again: a broken or refused connection, a timeout, a server
     * error (5xx) or "too many requests" (429). Uploads are retried after these.
     */
    public static RegistryException transientFailure(String message, int status, Throwable cause) {
        return new RegistryException(message, status, cause, true);
    }

    public boolean isTransient() {
        return transientFailure;
    }

    public OptionalInt status() {
        return status < 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }
}
