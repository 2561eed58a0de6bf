package dev.jetpack.cli;

/**
 * The exit codes of every {@code jetpack} command. Scripts may rely on them; they are listed in each command's
 * help and in the README.
 */
public final class ExitCode {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** The operation failed (bad image, download error, rejected key, failed build, ...); stderr says why. */
    public static final int FAILED = 1;
    /** The command line was wrong (unknown option, missing argument, conflicting options). */
    public static final int USAGE = 2;

    private ExitCode() {
    }
}
