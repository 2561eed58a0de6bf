package dev.jetpack.engine.oci;

import dev.jetpack.engine.aci.Compression;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How a stored image is exported to OCI ({@link OciExporter}). Immutable; {@link #builder(OciExportFormat, Path)}
 * names the two things every export needs, the rest has defaults (gzip layers on all cores, the name from the
 * appc name and version label), and {@link #toBuilder()} derives a variant.
 */
public final class OciExportOptions {
    private final OciExportFormat format;
    private final Path destination;
    private final LayerCompression compression;
    private final Optional<OciReference> reference;
    private final int threads;

    private OciExportOptions(Builder builder) {
        this.format = builder.format;
        this.destination = builder.destination;
        this.compression = builder.compression;
        this.reference = builder.reference;
        this.threads = builder.threads;
    }

    /**
     * @param destination the layout directory ({@link OciExportFormat#OCI_LAYOUT}), or the archive file
     *                    ({@link OciExportFormat#DOCKER_ARCHIVE}), which appears complete or not at all
     */
    public static Builder builder(OciExportFormat format, Path destination) {
        return new Builder(format, destination);
    }

    public Builder toBuilder() {
        return new Builder(format, destination).compression(compression).reference(reference.orElse(null))
                .threads(threads);
    }

    public OciExportFormat format() {
        return format;
    }

    public Path destination() {
        return destination;
    }

    public LayerCompression compression() {
        return compression;
    }

    /** The name to export under; empty: the appc name and version label ({@link OciReference#defaultFor}). */
    public Optional<OciReference> reference() {
        return reference;
    }

    /** Compression threads, or {@link Compression#ALL_CORES}. */
    public int threads() {
        return threads;
    }

    /** Builder; every setter is optional. */
    public static final class Builder {
        private final OciExportFormat format;
        private final Path destination;
        private LayerCompression compression = LayerCompression.GZIP;
        private Optional<OciReference> reference = Optional.empty();
        private int threads = Compression.ALL_CORES;

        private Builder(OciExportFormat format, Path destination) {
            this.format = Objects.requireNonNull(format, "format");
            this.destination = Objects.requireNonNull(destination, "destination");
        }

        public Builder compression(LayerCompression value) {
            this.compression = Objects.requireNonNull(value, "compression");
            return this;
        }

        /** Null: the default name. */
        public Builder reference(OciReference value) {
            this.reference = Optional.ofNullable(value);
            return this;
        }

        public Builder threads(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("threads must be positive, or Compression.ALL_CORES; got " + value);
            }
            this.threads = value;
            return this;
        }

        public OciExportOptions build() {
            return new OciExportOptions(this);
        }
    }
}
