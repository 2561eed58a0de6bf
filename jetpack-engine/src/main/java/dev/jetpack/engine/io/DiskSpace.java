package dev.jetpack.engine.io;

import java.nio.file.Path;

/** Turns the JDK's terse "No space left on device" into a message that says where and what to do. */
public final class DiskSpace {
    private DiskSpace() {
    }

    /** True when {@code failure} (or a cause) is the file system reporting that it is full or over quota. */
    public static boolean isFull(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.contains("No space left on device")
                    || message.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A sentence for an error message: that the file system holding {@code where} is full and what to do, or
     * the empty string when {@code failure} is something else.
     */
    public static String hint(Throwable failure, Path where) {
        if (!isFull(failure)) {
            return "";
        }
        return " There is no space left on the file system holding " + where + " (or its quota is used up):"
                + " free space there or write elsewhere; nothing partial was kept.";
    }
}
