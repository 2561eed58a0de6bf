package dev.jetpack.engine.reliability;

import java.io.IOException;
import java.nio.file.Path;

/** Public access to the parent image of the reliability tests for tests in other packages. */
public final class TestParents {
    private TestParents() {
    }

    /** An uncompressed ACI of a rootfs made of the host's own binaries (sh, mkdir, sleep...). */
    public static Path aci(Path workDir, String name) throws IOException {
        return Processes.parentAci(workDir, name);
    }
}
