package dev.jetpack.engine.aci;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.aci.compress.BlockCache;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * How {@link AciWriter} writes an image. Immutable; start from {@link #defaults()} or {@link #builder()}
 * ({@link Compression#DEFAULT} at its default level on all cores, file mtimes and owners kept, nothing excluded) and derive a variant with
 * {@link #toBuilder()}.
 */
public final class WriterOptions {
    private static final WriterOptions DEFAULTS = builder().build();

    private final Compression compression;
    private final int level;
    private final Instant fixedTimestamp;
    private final Instant manifestTimestamp;
    private final Ownership ownership;
    private final Predicate<Path> exclude;
    private final ProgressListener progress;
    private final EngineLog log;
    private final int threads;
    private final BlockCache blockCache;
    private final BlockSizes blockSizes;
    private final AciWriter.EntryListener entryListener;

    private WriterOptions(Builder builder) {
        this.compression = builder.compression;
        this.level = builder.level;
        this.fixedTimestamp = builder.fixedTimestamp;
        this.manifestTimestamp = builder.manifestTimestamp;
        this.ownership = builder.ownership;
        this.exclude = builder.exclude;
        this.progress = builder.progress;
        this.log = builder.log;
        this.threads = builder.threads;
        this.entryListener = builder.entryListener;
        this.blockCache = builder.blockCache;
        this.blockSizes = builder.blockSizes;
    }

    /** The default compression ({@link Compression#DEFAULT}) at its default level on all cores, file mtimes and
     * owners kept, nothing excluded. */
    public static WriterOptions defaults() {
        return DEFAULTS;
    }

    /** A builder preset with {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with these options, to change some of them. */
    public Builder toBuilder() {
        return new Builder().compression(compression).level(level).fixedTimestamp(fixedTimestamp)
                .manifestTimestamp(manifestTimestamp).ownership(ownership).exclude(exclude).progress(progress)
                .log(log).threads(threads).blockCache(blockCache).blockSizes(blockSizes)
                .entryListener(entryListener);
    }

    /** The compression of the output. */
    public Compression compression() {
        return compression;
    }

    /** Compression level, -1 for the compression's default. */
    public int level() {
        return level;
    }

    /**
     * Null keeps each file's mtime; otherwise every entry (and the manifest) gets this time, for reproducible
     * builds.
     */
    public Instant fixedTimestamp() {
        return fixedTimestamp;
    }

    /**
     * The time of the manifest entry when {@link #fixedTimestamp()} is null: null stamps it with the time of
     * writing. An image converted from another format passes its own creation time, so that the same input
     * always gives the same image ID while the files keep their own mtimes.
     */
    public Instant manifestTimestamp() {
        return manifestTimestamp;
    }

    /** Numeric owners from the file system, or 0:0 for everything. */
    public Ownership ownership() {
        return ownership;
    }

    /** Paths relative to the rootfs directory to leave out (a directory with its subtree). */
    public Predicate<Path> exclude() {
        return exclude;
    }

    /** Receives tar bytes written. */
    public ProgressListener progress() {
        return progress;
    }

    /** Receives warnings about skipped files. */
    public EngineLog log() {
        return log;
    }

    /** Compression threads, or {@link Compression#ALL_CORES}. */
    public int threads() {
        return threads;
    }

    /**
     * Where compressed blocks are reused from and stored (the image store's, see
     * {@link dev.jetpack.engine.store.ImageStore#blockCache()}), or null to compress every block.
     */
    public BlockCache blockCache() {
        return blockCache;
    }

    /** Told of every rootfs entry once it is in the tar (e.g. to lay the same tree out elsewhere), or null. */
    public AciWriter.EntryListener entryListener() {
        return entryListener;
    }

    /** The sizes of the independently compressed blocks, or null for the compression's own. */
    public BlockSizes blockSizes() {
        return blockSizes;
    }

    /** Builder; every setter is optional. */
    public static final class Builder {
        private Compression compression = Compression.DEFAULT;
        private int level = -1;
        private Instant fixedTimestamp;
        private Instant manifestTimestamp;
        private Ownership ownership = Ownership.PRESERVE;
        private Predicate<Path> exclude = path -> false;
        private ProgressListener progress = ProgressListener.NONE;
        private EngineLog log = EngineLog.SILENT;
        private int threads = Compression.ALL_CORES;
        private BlockCache blockCache;
        private BlockSizes blockSizes;
        private AciWriter.EntryListener entryListener;

        private Builder() {
        }

        public Builder compression(Compression value) {
            this.compression = Objects.requireNonNull(value, "compression");
            return this;
        }

        /** -1 for the compression's default. */
        public Builder level(int value) {
            this.level = value;
            return this;
        }

        /** Null keeps each file's mtime. */
        public Builder fixedTimestamp(Instant value) {
            this.fixedTimestamp = value;
            return this;
        }

        /** Null stamps the manifest entry with the time of writing (unless a fixed timestamp is set). */
        public Builder manifestTimestamp(Instant value) {
            this.manifestTimestamp = value;
            return this;
        }

        public Builder ownership(Ownership value) {
            this.ownership = Objects.requireNonNull(value, "ownership");
            return this;
        }

        /** Null excludes nothing. */
        public Builder exclude(Predicate<Path> value) {
            this.exclude = value == null ? path -> false : value;
            return this;
        }

        /** Null means none. */
        public Builder progress(ProgressListener value) {
            this.progress = value == null ? ProgressListener.NONE : value;
            return this;
        }

        /** Null means silent. */
        public Builder log(EngineLog value) {
            this.log = value == null ? EngineLog.SILENT : value;
            return this;
        }

        /** Compression threads, or {@link Compression#ALL_CORES}. */
        public Builder threads(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("threads must be positive, or Compression.ALL_CORES; got "
                        + value);
            }
            this.threads = value;
            return this;
        }

        /** Null compresses every block afresh. */
        public Builder blockCache(BlockCache value) {
            this.blockCache = value;
            return this;
        }

        /** Null for {@link Compression#blockSizes()}. */
        public Builder blockSizes(BlockSizes value) {
            this.blockSizes = value;
            return this;
        }

        /** Null tells nobody. */
        public Builder entryListener(AciWriter.EntryListener value) {
            this.entryListener = value;
            return this;
        }

        public WriterOptions build() {
            return new WriterOptions(this);
        }
    }
}
