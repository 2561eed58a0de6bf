package dev.jetpack.engine.manifest;

import java.util.List;

/**
 * One entry of {@code app.eventHandlers}: a command run at a lifecycle event.
 *
 * @param name {@value #PRE_START} or {@value #POST_STOP}; {@code null} when the JSON omitted it
 * @param exec the command and its arguments; never null
 */
public record EventHandler(String name, List<String> exec) {
    public static final String PRE_START = "pre-start";
    public static final String POST_STOP = "post-stop";

    public EventHandler {
        exec = exec == null ? List.of() : List.copyOf(exec);
    }
}
