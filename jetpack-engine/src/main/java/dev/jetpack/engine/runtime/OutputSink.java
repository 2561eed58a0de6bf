package dev.jetpack.engine.runtime;

/**
 * Receives a container command's output live, one line at a time, as the command writes it.
 *
 * <p>Calls are serialised (never two at once), so an implementation needs no locking of its own. Lines keep
 * their order within one stream; between stdout and stderr the order is the order in which the lines were read,
 * which is as close to the writing order as two separate pipes allow.
 */
@FunctionalInterface
public interface OutputSink {
    /** Which of the command's output streams a line came from. */
    enum Stream {
        STDOUT, STDERR
    }

    void line(Stream stream, String line);

    /** A sink that drops everything (the lines are still kept for {@link RunResult#lastLines()}). */
    OutputSink DISCARD = (stream, line) -> {
    };
}
