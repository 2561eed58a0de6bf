package dev.jetpack.maven;

import dev.jetpack.engine.ProgressListener;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Progress of long engine work (downloads, compression) as Maven log lines.
 *
 * <p>Interactive builds get a line every 10% (every 10 MiB when the total is unknown); batch builds
 * ({@code mvn -B}, CI) get none of those, only one line per finished task, so that logs stay readable. Tasks may
 * report from several threads ({@code mvn -T}).
 */
public final class MavenProgress implements ProgressListener {
    private static final long UNKNOWN_TOTAL_STEP = 10L << 20;

    private final Consumer<String> log;
    private final boolean interactive;
    /** Per task: the last step reported (tenths of the total, or 10 MiB units) and the bytes done. */
    private final Map<String, long[]> tasks = new ConcurrentHashMap<>();

    /**
     * @param log         where lines go (Maven's info log)
     * @param interactive false in batch mode: only finished tasks are reported
     */
    public MavenProgress(Consumer<String> log, boolean interactive) {
        this.log = log;
        this.interactive = interactive;
    }

    @Override
    public void progress(String task, long done, long total) {
        long[] state = tasks.computeIfAbsent(task, t -> new long[] {-1, 0});
        long step = total > 0 ? Math.min(10, done * 10 / total) : done / UNKNOWN_TOTAL_STEP;
        boolean report;
        synchronized (state) {
            state[1] = done;
            report = step > state[0];
            if (report) {
                state[0] = step;
            }
        }
        if (report && interactive && step > 0) {
            log.accept(total > 0 ? task + ": " + step * 10 + "% of " + size(total)
                    : task + ": " + size(done));
        }
    }

    @Override
    public void finished(String task) {
        long[] state = tasks.remove(task);
        log.accept(task + ": done" + (state != null && state[1] > 0 ? " (" + size(state[1]) + ")" : ""));
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1L << 20) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
}
