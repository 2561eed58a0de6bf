package dev.jetpack.engine.run;

/** An app's event handler exited non-zero; for {@code pre-start} the app was not started. */
public final class EventHandlerFailedException extends RunException {
    private static final long serialVersionUID = 1L;

    private final String handler;
    private final int exitCode;

    public EventHandlerFailedException(String message, String handler, int exitCode) {
        super(message);
        this.handler = handler;
        this.exitCode = exitCode;
    }

    /** {@code pre-start} or {@code post-stop}. */
    public String handler() {
        return handler;
    }

    /** The handler's exit code (128+N when signal N killed it). */
    public int exitCode() {
        return exitCode;
    }
}
