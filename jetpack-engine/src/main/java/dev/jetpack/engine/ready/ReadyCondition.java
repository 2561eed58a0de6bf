package dev.jetpack.engine.ready;

import java.util.Optional;

/**
 * One sign that a started app is ready to serve: a URL that answers, a port that accepts, a line in its output.
 * {@link ReadinessWait} polls each until all are met or the time is up.
 */
public sealed interface ReadyCondition permits HttpReady, TcpReady, LogReady {
    /** Checks once, quickly (well under a second); false while the app is not ready yet, never throws. */
    boolean isMet();

    /** The condition as a user configured it, for messages: {@code http http://127.0.0.1:8080/}. */
    String describe();

    /** What the last unsuccessful check saw ({@code answered 404}, {@code Connection refused}), for a time-out. */
    default Optional<String> lastAttempt() {
        return Optional.empty();
    }
}
