package dev.jetpack.engine.aci.compress;

import java.io.OutputStream;

/**
 * A compressing stream that owns threads or a child process. {@link #abort()} releases them without finishing the
 * compressed format, for an archive that is being abandoned after a failure; {@link #close()} would instead wait
 * for the in-flight work and write a complete trailer that nobody wants.
 */
public abstract class AbortableOutputStream extends OutputStream {
    /** Stops the workers (or the child process) and drops buffered data. Safe to call more than once. */
    public abstract void abort();
}
