package dev.jetpack.engine;

import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.store.ImageStore;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The settings every user-level operation shares, whatever face (command line or Maven plugin) set them.
 *
 * @param storeLocation the image store's directory
 * @param runtime       the container runtime for builds: {@code auto} or a name {@code Runtimes} knows
 * @param compression   the compression of ACIs the engine writes (builds, flat exports, base images)
 */
public record JetpackSettings(Path storeLocation, String runtime, Compression compression) {
    /** The runtime setting that lets the engine pick the first runtime that works on this host. */
    public static final String AUTO_RUNTIME = "auto";

    public JetpackSettings {
        Objects.requireNonNull(storeLocation, "storeLocation");
        runtime = runtime == null || runtime.isBlank() ? AUTO_RUNTIME : runtime.trim();
        Objects.requireNonNull(compression, "compression");
    }

    /** The store from {@link ImageStore#defaultLocation()}, the runtime {@code auto}, xz compression. */
    public static JetpackSettings defaults() {
        return new JetpackSettings(ImageStore.defaultLocation(), AUTO_RUNTIME, Compression.XZ);
    }

    public JetpackSettings withStoreLocation(Path location) {
        return new JetpackSettings(location, runtime, compression);
    }

    public JetpackSettings withRuntime(String runtimeName) {
        return new JetpackSettings(storeLocation, runtimeName, compression);
    }

    public JetpackSettings withCompression(Compression aciCompression) {
        return new JetpackSettings(storeLocation, runtime, aciCompression);
    }
}
