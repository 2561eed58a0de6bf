package dev.jetpack.engine.runtime;

/**
 * The signals a caller may send to a container's command, with their Linux numbers. Each one ends a process
 * that neither catches nor ignores it, which is what {@link ContainerRun#signal} relies on when the command
 * is the init of its pid namespace (the kernel drops such signals there; see {@link ContainerProcess}).
 */
public enum ProcessSignal {
    HUP(1), INT(2), QUIT(3), KILL(9), USR1(10), USR2(12), TERM(15);

    private final int number;

    ProcessSignal(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** The exit code a shell reports for a process this signal killed: 128+N. */
    public int exitCode() {
        return 128 + number;
    }
}
