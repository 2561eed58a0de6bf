package dev.jetpack.maven;

/**
 * {@code <wait>} of {@code jetpack:start}: what shows that a started app is ready. Every condition given must be
 * met; none given means ready as soon as it runs.
 *
 * <pre>{@code
 * <wait>
 *   <http>http://127.0.0.1:8080/health</http>   <!-- GET answers 2xx or 3xx -->
 *   <log>Started .* in</log>                    <!-- a line of its output matches (Java regex) -->
 *   <tcp>8080</tcp>                             <!-- the port (or HOST:PORT) accepts connections -->
 *   <timeout>60</timeout>                       <!-- seconds, default 60 -->
 * </wait>
 * }</pre>
 */
public class Wait {
    /** Seconds a start waits when {@code <timeout>} is not given. */
    static final int DEFAULT_TIMEOUT_SECONDS = 60;

    private String http;
    private String log;
    private String tcp;
    private Integer timeout;

    public Wait() {
    }

    Wait(String http, String log, String tcp, Integer timeout) {
        this.http = http;
        this.log = log;
        this.tcp = tcp;
        this.timeout = timeout;
    }

    String http() {
        return http;
    }

    String log() {
        return log;
    }

    String tcp() {
        return tcp;
    }

    Integer timeout() {
        return timeout;
    }
}
