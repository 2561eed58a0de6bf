package dev.jetpack.engine.base;

import dev.jetpack.engine.JetpackException;

/** A rootfs could not be assembled from the host's binaries. */
public class HostRootfsException extends JetpackException {
    private static final long serialVersionUID = 1L;

    public HostRootfsException(String message) {
        super(message);
    }

    public HostRootfsException(String message, Throwable cause) {
        super(message, cause);
    }
}
