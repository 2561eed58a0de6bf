package dev.jetpack.engine;

import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.runtime.RuntimeChoice;
import dev.jetpack.engine.store.ImageStore;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What every user-level operation shares, whatever face (command line or Maven plugin) set it: where the store
 * is, and the defaults that a request which does not say otherwise gets (a build's runtime and compression, the
 * compression of flat exports and base images). Start with {@link #builder()} or {@link #defaults()}.
 *
 * @param storeLocation the image store's directory
 * @param runtime       the default container runtime for builds
 * @param compression   the default compression of ACIs the engine writes
 */
public record JetpackSettings(Path storeLocation, RuntimeChoice runtime, Compression compression) {
    public JetpackSettings {
        Objects.requireNonNull(storeLocation, "storeLocation");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(compression, "compression");
    }

    /** The store from {@link ImageStore#defaultLocation()}, the runtime {@code auto}, the default compression ({@link Compression#DEFAULT}). */
    public static JetpackSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().storeLocation(storeLocation).runtime(runtime).compression(compression);
    }

    /** Builds {@link JetpackSettings}; what is not set keeps the value of {@link #defaults()}. */
    public static final class Builder {
        private Path storeLocation;
        private RuntimeChoice runtime = RuntimeChoice.AUTO;
        private Compression compression = Compression.DEFAULT;

        private Builder() {
        }

        public Builder storeLocation(Path location) {
            this.storeLocation = Objects.requireNonNull(location, "location");
            return this;
        }

        public Builder runtime(RuntimeChoice choice) {
            this.runtime = Objects.requireNonNull(choice, "choice");
            return this;
        }

        public Builder compression(Compression aciCompression) {
            this.compression = Objects.requireNonNull(aciCompression, "aciCompression");
            return this;
        }

        public JetpackSettings build() {
            return new JetpackSettings(storeLocation == null ? ImageStore.defaultLocation() : storeLocation,
                    runtime, compression);
        }
    }
}
