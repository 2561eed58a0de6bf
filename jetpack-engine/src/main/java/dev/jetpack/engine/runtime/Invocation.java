package dev.jetpack.engine.runtime;

import java.util.List;

/**
 * How a runtime implementation starts one prepared run: the host command line, how to kill the container when
 * the run is abandoned, and what to clean up afterwards (always, after the process is gone).
 */
record Invocation(List<String> commandLine, Runnable kill, Runnable cleanup) {
    Invocation {
        commandLine = List.copyOf(commandLine);
    }

    static Invocation of(List<String> commandLine) {
        return new Invocation(commandLine, () -> {
        }, () -> {
        });
    }
}
