package dev.jetpack.engine.io;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names a process so that its leftovers can be recognised after it died: its pid plus its start time in
 * milliseconds, written as {@code PID.STARTMILLIS} (e.g. in temporary file names). The start time tells a
 * process apart from a later one that got the same pid.
 *
 * @param pid          the process id
 * @param startMillis  the process's start time (epoch milliseconds), 0 when the system does not say
 */
public record ProcessStamp(long pid, long startMillis) {
    private static final Pattern TEXT = Pattern.compile("(\\d+)\\.(\\d+)");
    /** Start times read twice may differ by rounding; a later process with the same pid starts much later. */
    private static final long START_TOLERANCE_MILLIS = 1000;
    private static final ProcessStamp CURRENT = of(ProcessHandle.current());

    /** This JVM's stamp. */
    public static ProcessStamp current() {
        return CURRENT;
    }

    public static ProcessStamp of(ProcessHandle process) {
        return new ProcessStamp(process.pid(), process.info().startInstant().map(Instant::toEpochMilli).orElse(0L));
    }

    /** The first {@code PID.STARTMILLIS} in {@code text} (e.g. a file name), if any. */
    public static Optional<ProcessStamp> find(String text) {
        Matcher matcher = TEXT.matcher(text);
        if (!matcher.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ProcessStamp(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** True while the process this stamp names still runs (same pid, same start time). */
    public boolean isAlive() {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return false;
        }
        long actual = process.get().info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        return startMillis == 0 || actual == 0 || Math.abs(actual - startMillis) < START_TOLERANCE_MILLIS;
    }

    @Override
    public String toString() {
        return pid + "." + startMillis;
    }
}
