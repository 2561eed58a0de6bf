package dev.jetpack.engine.fetch;

import dev.jetpack.engine.JetpackException;
import java.net.URI;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A fetch failed: a download, a discovery lookup, a signature or trust check. The message names the URL (or
 * image), what happened (with the HTTP status when there was one), what was expected and what to do; callers
 * can also read the URL and status to decide e.g. whether to try the next discovery endpoint.
 */
public class FetchException extends JetpackException {
    private static final long serialVersionUID = 1L;

    private final transient URI uri;
    private final int status;

    public FetchException(String message) {
        this(null, -1, message, null);
    }

    public FetchException(String message, Throwable cause) {
        this(null, -1, message, cause);
    }

    /**
     * @param uri the URL involved, or null
     * @param status the HTTP status, or -1 when the failure was not an HTTP answer (connection, TLS, timeout)
     */
    public FetchException(URI uri, int status, String message, Throwable cause) {
        super(message, cause);
        this.uri = uri;
        this.status = status;
    }

    public Optional<URI> uri() {
        return Optional.ofNullable(uri);
    }

    /** The HTTP status the server answered with, if the failure was an HTTP answer. */
    public OptionalInt status() {
        return status < 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }
}
