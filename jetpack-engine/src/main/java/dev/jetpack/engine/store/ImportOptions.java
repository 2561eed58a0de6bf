package dev.jetpack.engine.store;

import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.aci.ReaderOptions;
import dev.jetpack.engine.manifest.ImageManifest;
import java.util.Objects;

/**
 * How {@link ImageStore#importAci} treats one import. Immutable; start from {@link #defaults()} or
 * {@link #builder()} and derive a variant with {@link #toBuilder()}.
 */
public final class ImportOptions {
    /** A last look at an image before it is stored. */
    @FunctionalInterface
    public interface ImportCheck {
        /** Throws (a JetpackException saying why) to refuse the image. */
        void check(ImageId id, ImageManifest manifest);

        ImportCheck ACCEPT_ALL = (id, manifest) -> {
        };
    }

    static final String UNNAMED_SOURCE = "a stream";

    private static final ImportOptions DEFAULTS = builder().build();

    private final String source;
    private final DependencyResolver dependencyResolver;
    private final ReaderOptions readerOptions;
    private final boolean linkSourceFile;
    private final ImportCheck check;

    private ImportOptions(Builder builder) {
        this.source = builder.source;
        this.dependencyResolver = builder.dependencyResolver;
        this.readerOptions = builder.readerOptions;
        this.linkSourceFile = builder.linkSourceFile;
        this.check = builder.check;
    }

    /** An import from an unnamed source, dependencies from the store only, the user's own reader limits. */
    public static ImportOptions defaults() {
        return DEFAULTS;
    }

    /** A builder preset with {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with these options, to change some of them. */
    public Builder toBuilder() {
        return new Builder().source(source).dependencyResolver(dependencyResolver).readerOptions(readerOptions)
                .linkSourceFile(linkSourceFile).check(check);
    }

    /** Where the ACI came from (a path or URL), for log messages and the image's record. */
    public String source() {
        return source;
    }

    /** Obtains dependencies the store does not hold; {@link DependencyResolver#STORE_ONLY} by default. */
    public DependencyResolver dependencyResolver() {
        return dependencyResolver;
    }

    /** Limits and permissions for unpacking ({@link ReaderOptions#defaults()} by default). */
    public ReaderOptions readerOptions() {
        return readerOptions;
    }

    /**
     * For {@link ImageStore#importAci(java.nio.file.Path, ImportOptions)}: keep the file by hard-linking it into
     * the store instead of copying it. Only for files that are never modified in place afterwards (replaced by
     * rename, or temporary files of the engine's own): the store's copy would change with them. Falls back to
     * copying when the file is on another file system.
     */
    public boolean linkSourceFile() {
        return linkSourceFile;
    }

    /**
     * Runs on the image's ID and valid manifest before anything is stored (also when the image is stored
     * already) and throws to refuse it, e.g. when a discovered image's name differs from the request; accepts
     * everything by default.
     */
    public ImportCheck check() {
        return check;
    }

    /** Builder; every setter is optional. */
    public static final class Builder {
        private String source = UNNAMED_SOURCE;
        private DependencyResolver dependencyResolver = DependencyResolver.STORE_ONLY;
        private ReaderOptions readerOptions = ReaderOptions.defaults();
        private boolean linkSourceFile;
        private ImportCheck check = ImportCheck.ACCEPT_ALL;

        private Builder() {
        }

        public Builder source(String value) {
            this.source = Objects.requireNonNull(value, "source");
            return this;
        }

        public Builder dependencyResolver(DependencyResolver value) {
            this.dependencyResolver = Objects.requireNonNull(value, "dependencyResolver");
            return this;
        }

        public Builder readerOptions(ReaderOptions value) {
            this.readerOptions = Objects.requireNonNull(value, "readerOptions");
            return this;
        }

        public Builder linkSourceFile(boolean value) {
            this.linkSourceFile = value;
            return this;
        }

        public Builder check(ImportCheck value) {
            this.check = Objects.requireNonNull(value, "check");
            return this;
        }

        public ImportOptions build() {
            return new ImportOptions(this);
        }
    }
}
