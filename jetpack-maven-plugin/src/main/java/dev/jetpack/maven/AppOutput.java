package dev.jetpack.maven;

import dev.jetpack.engine.ready.OutputTail;
import dev.jetpack.engine.runtime.OutputSink;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.logging.Log;

/**
 * Where a running app's output goes: its log file ({@code target/jetpack/<name>.log}, flushed line by line so
 * that tests can read it while the app runs), Maven's log as {@code [name] line}, the tail kept for error
 * messages, and any listeners (the log readiness conditions).
 */
final class AppOutput implements OutputSink, AutoCloseable {
    private static final int TAIL_LINES = 20;

    private final String name;
    private final Path file;
    private final Log log;
    private final List<OutputSink> listeners;
    private final OutputTail tail = new OutputTail(TAIL_LINES);
    private final BufferedWriter writer;
    private boolean writeFailed;

    /** Creates (or empties) the log file. */
    AppOutput(String name, Path file, Log log, List<OutputSink> listeners) throws IOException {
        this.name = name;
        this.file = file;
        this.log = log;
        this.listeners = List.copyOf(listeners);
        Files.createDirectories(file.getParent());
        this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    Path file() {
        return file;
    }

    /** The last lines, oldest first. */
    List<String> lastLines() {
        return tail.lines();
    }

    @Override
    public synchronized void line(Stream stream, String line) {
        tail.line(stream, line);
        for (OutputSink listener : listeners) {
            listener.line(stream, line);
        }
        log.info("[" + name + "] " + line);
        if (!writeFailed) {
            try {
                writer.write(line);
                writer.newLine();
                writer.flush();
            } catch (IOException e) {
                // The app must go on running; the Maven log still has every line.
                writeFailed = true;
                log.warn("Cannot write the log of " + name + " to " + file + " (" + e.getMessage()
                        + "); its output is only in the Maven log from here on");
            }
        }
    }

    @Override
    public synchronized void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot close the log " + file, e);
        }
    }
}
