package dev.jetpack.engine.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resource limits of this JVM, which a container may not exceed (setting a higher one fails with EPERM). */
final class HostLimits {
    private static final long FALLBACK_OPEN_FILES = 1024;

    private HostLimits() {
    }

    /** The hard RLIMIT_NOFILE of this process, from /proc/self/limits; 1024 if it cannot be read. */
    static long openFilesHardLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
                    return fields[1].equals("unlimited") ? 1_048_576 : Long.parseLong(fields[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the conservative default
        }
        return FALLBACK_OPEN_FILES;
    }
}
