package dev.jetpack.cli;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.ProgressListener;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The command's view of its standard streams: results go to stdout, everything else (log lines, warnings,
 * errors, progress) to stderr, so that {@code ID=$(jetpack fetch ...)} captures only the result.
 *
 * <p>Progress is drawn only when a person is watching ({@link System#console()} is not null): a single line
 * rewritten in place with {@code \r}, cleared before any other stderr line. In pipes, CI logs and tests there
 * is no progress at all, only the log lines.
 */
public final class Terminal implements EngineLog, ProgressListener {
    private static final long MIN_REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final PrintStream err;
    private final boolean debug;
    private final boolean interactive;
    private String progressLine = "";
    private long lastDraw;

    public Terminal(PrintStream out, PrintStream err, boolean debug, boolean interactive) {
        this.out = out;
        this.err = err;
        this.debug = debug;
        this.interactive = interactive;
    }

    /** A terminal on the process's own streams; interactive when the JVM has a console. */
    public static Terminal system(boolean debug) {
        return new Terminal(System.out, System.err, debug, System.console() != null);
    }

    /** Where results go. */
    public PrintStream out() {
        return out;
    }

    public boolean debugEnabled() {
        return debug;
    }

    /** Prints one result line on stdout. */
    public void result(String line) {
        out.println(line);
        out.flush();
    }

    /** Prints one line on stderr, after clearing a progress line if one is shown. */
    public synchronized void message(String line) {
        clearProgress();
        err.println(line);
        err.flush();
    }

    /** An error the user must act on: {@code jetpack: error: MESSAGE} on stderr. */
    public void error(String message) {
        message("jetpack: error: " + message);
    }

    @Override
    public void debug(String message) {
        if (debug) {
            message("debug: " + message);
        }
    }

    @Override
    public void info(String message) {
        message(message);
    }

    @Override
    public void warn(String message) {
        message("warning: " + message);
    }

    @Override
    public synchronized void progress(String task, long done, long total) {
        if (!interactive) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < MIN_REDRAW_NANOS && !(total > 0 && done >= total)) {
            return;
        }
        lastDraw = now;
        String line = task + "  " + bytes(done) + (total > 0
                ? " / " + bytes(total) + String.format(Locale.ROOT, " (%d%%)", done * 100 / total) : "");
        String padding = " ".repeat(Math.max(0, progressLine.length() - line.length()));
        err.print("\r" + line + padding);
        err.flush();
        progressLine = line;
    }

    @Override
    public synchronized void finished(String task) {
        clearProgress();
    }

    private void clearProgress() {
        if (!progressLine.isEmpty()) {
            err.print("\r" + " ".repeat(progressLine.length()) + "\r");
            err.flush();
            progressLine = "";
        }
    }

    /** Bytes for people: 1023 B, 1.5 KiB, 20.0 MiB. */
    static String bytes(long count) {
        if (count < 1024) {
            return count + " B";
        }
        double value = count;
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
