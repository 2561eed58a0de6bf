package dev.jetpack.engine.ready;

import dev.jetpack.engine.runtime.OutputSink;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The last lines of an app's output, both streams together, for error messages. Thread-safe. */
public final class OutputTail implements OutputSink {
    private final int size;
    private final Deque<String> lines;

    public OutputTail(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size " + size);
        }
        this.size = size;
        this.lines = new ArrayDeque<>(size);
    }

    @Override
    public synchronized void line(Stream stream, String line) {
        if (lines.size() == size) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }

    /** Oldest first. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
