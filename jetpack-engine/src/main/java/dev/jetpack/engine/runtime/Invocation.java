package dev.jetpack.engine.runtime;

import java.util.List;

/**
 * How a runtime implementation starts one prepared run: the host command line, how to kill the container when
 * the run is abandoned, what to clean up afterwards (always, after the process is gone), and where the command
 * runs in its pid namespace (how signals find it).
 */
record Invocation(List<String> commandLine, Runnable kill, Runnable cleanup, CommandPosition commandPosition) {
    /** Where in its pid namespace the command runs. */
    enum CommandPosition {
        /** The command is the namespace's init (pid 1), as with the OCI runtimes. */
        NAMESPACE_INIT,
        /** A helper is the init and the command its child, as with bwrap and the chroot runtime. */
        CHILD_OF_NAMESPACE_INIT
    }

    Invocation {
        commandLine = List.copyOf(commandLine);
    }

    static Invocation of(List<String> commandLine, CommandPosition commandPosition) {
        return new Invocation(commandLine, () -> {
        }, () -> {
        }, commandPosition);
    }
}
