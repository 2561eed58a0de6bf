package dev.jetpack.engine.ready;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Waits until every condition of a started app is met, polling them in turn. Fails early when the app exits, and
 * on time-out; both errors name the app, the conditions not met, the time-out and the last lines of its output.
 *
 * @param app        the app's name, for messages
 * @param conditions all must be met; none means ready at once
 * @param timeout    how long to wait at most
 */
public record ReadinessWait(String app, List<ReadyCondition> conditions, Duration timeout) {
    private static final long POLL_MILLIS = 100;

    /** Whether the app still runs: empty while it does, else its exit code. */
    @FunctionalInterface
    public interface ExitProbe {
        Optional<Integer> exitCode();
    }

    public ReadinessWait {
        conditions = List.copyOf(conditions);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout " + timeout);
        }
    }

    /**
     * @param probe    tells whether the app exited
     * @param lastLines the app's output tail, read when an error is reported
     * @return how long the wait took
     * @throws AppNotReadyException when the app exits or the time is up first
     */
    public Duration await(ExitProbe probe, Supplier<List<String>> lastLines) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        List<ReadyCondition> pending = new ArrayList<>(conditions);
        while (true) {
            pending.removeIf(ReadyCondition::isMet);
            if (pending.isEmpty()) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Optional<Integer> exit = probe.exitCode();
            if (exit.isPresent()) {
                throw new AppNotReadyException("The app " + app + " exited with code " + exit.get()
                        + " before it was ready (waiting for " + describe(pending) + ")" + tail(lastLines.get()));
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AppNotReadyException("The app " + app + " was not ready within " + timeout.toSeconds()
                        + " s: still waiting for " + describeWithLastAttempt(pending) + ". Raise the wait timeout if it only"
                        + " starts slowly, or fix the condition" + tail(lastLines.get()));
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AppNotReadyException("Interrupted while waiting for the app " + app + " to be ready");
            }
        }
    }

    private static String describe(List<ReadyCondition> pending) {
        return pending.stream().map(ReadyCondition::describe).collect(Collectors.joining(", "));
    }

    private static String describeWithLastAttempt(List<ReadyCondition> pending) {
        return pending.stream().map(c -> c.describe() + c.lastAttempt().map(a -> " (last try: " + a + ")").orElse(""))
                .collect(Collectors.joining(", "));
    }

    private static String tail(List<String> lines) {
        if (lines.isEmpty()) {
            return "; it wrote no output";
        }
        return "; its last lines of output:\n  " + String.join("\n  ", lines);
    }
}
