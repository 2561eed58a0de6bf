package dev.jetpack.engine.io;

import java.io.IOException;

/**
 * Rethrows, on the thread that waits for a worker, what the worker thread failed with: the one rule of the
 * engine's background stages (the image-ID thread, the tree walk, the store's tree mirror).
 */
public final class WorkerFailure {
    private WorkerFailure() {
    }

    /**
     * Rethrows {@code failed} (nothing when null) with its own type: a caller may tell an
     * {@code ExtendedAttributeException} or a {@code JetpackException} from other failures.
     */
    public static void rethrow(Throwable failed) throws IOException {
        if (failed instanceof IOException io) {
            throw io;
        }
        rethrowUnchecked(failed);
    }

    /**
     * Rethrows {@code failed} (nothing when null); an IOException as a new one around it, so that the stack shows
     * the waiting side too, where the worker's own stack alone would not say which write failed.
     */
    public static void rethrowWithCallerStack(Throwable failed) throws IOException {
        if (failed instanceof IOException io) {
            throw new IOException(io.getMessage(), io);
        }
        rethrowUnchecked(failed);
    }

    private static void rethrowUnchecked(Throwable failed) throws IOException {
        if (failed instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failed instanceof Error error) {
            throw error;
        }
        if (failed != null) {
            throw new IOException(failed); // an InterruptedException of a worker nobody should interrupt
        }
    }
}
