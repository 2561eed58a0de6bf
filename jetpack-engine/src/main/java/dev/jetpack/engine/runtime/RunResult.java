package dev.jetpack.engine.runtime;

import java.util.List;

/**
 * What a finished container command left: its exit code, the tail of its output (for error messages) and
 * the mount points the runtime had to create in the rootfs.
 *
 * @param exitCode     the command's exit code; 128+N when it was killed by signal N
 * @param lastLines    the last {@value #TAIL_LINES} lines of stdout and stderr together, oldest first
 * @param createdPaths paths relative to the rootfs (e.g. {@code proc}, {@code etc/resolv.conf}) that did not
 *                     exist before the run and that the runtime created as mount points, parents first. The
 *                     runtime removed all of them again after the run except those listed in {@code keptPaths}
 * @param keptPaths    the created paths that the command filled with content of its own (say it created
 *                     {@code /etc/hosts} in an {@code etc} the runtime had created); they belong to the image
 *                     now and were left in place
 */
public record RunResult(int exitCode, List<String> lastLines, List<String> createdPaths, List<String> keptPaths) {
    /** How many output lines a result keeps for error messages. */
    public static final int TAIL_LINES = 20;

    public RunResult {
        lastLines = List.copyOf(lastLines);
        createdPaths = List.copyOf(createdPaths);
        keptPaths = List.copyOf(keptPaths);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }
}
