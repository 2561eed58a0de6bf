package dev.jetpack.engine;

/**
 * Progress of long work (downloads, compression, unpacking), reported in bytes. Faces decide how to show it:
 * the plugin through Maven's log (quiet in batch mode), the command line on a terminal only.
 */
public interface ProgressListener {
    /**
     * @param task what is being done, e.g. "Downloading example.com/app:1.0"
     * @param done bytes done so far
     * @param total bytes expected, or -1 when unknown
     */
    void progress(String task, long done, long total);

    /** The task finished (successfully or not); a face can clear its progress line. */
    default void finished(String task) {
    }

    ProgressListener NONE = (task, done, total) -> {
    };
}
