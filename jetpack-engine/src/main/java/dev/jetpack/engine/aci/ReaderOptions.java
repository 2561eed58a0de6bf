package dev.jetpack.engine.aci;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.ProgressListener;
import java.util.Objects;

/**
 * How {@link AciReader} reads an archive: limits and permissions for untrusted input. Immutable; start from
 * {@link #defaults()} (the user's own images) or {@link #untrusted()} (fetched ones), or {@link #builder()}, and
 * derive a variant with {@link #toBuilder()}.
 */
public final class ReaderOptions {
    /** 256 GiB: far beyond any real image, small enough to stop a bomb before it fills a disk. */
    public static final long DEFAULT_MAX_UNCOMPRESSED_BYTES = 256L * 1024 * 1024 * 1024;
    /** xz reaches about 1:1000 only on long runs of zeros; real images stay far below. */
    public static final long DEFAULT_MAX_EXPANSION_RATIO = 1000;
    /** 64 MiB: a bomb is only dangerous when large, while a small image may legitimately compress 1:1000+. */
    public static final long DEFAULT_RATIO_GRACE_BYTES = 64L * 1024 * 1024;

    private static final ReaderOptions DEFAULTS = builder().build();
    private static final ReaderOptions UNTRUSTED = builder().devices(DevicePolicy.STANDARD).build();
    private static final ReaderOptions OWN_OUTPUT = builder().maxExpansionRatio(Long.MAX_VALUE).build();

    /**
     * How the user sets each limit where these options came from (a CLI option, a Maven parameter), so that the
     * message of a refused image names the setting to change rather than the engine's builder. Each is a pattern
     * in which {@code {}} stands for the value, e.g. {@code --devices {}}.
     *
     * @param devices              how to set {@link #devices()}
     * @param maxUncompressedBytes how to set {@link #maxUncompressedBytes()}
     * @param maxExpansionRatio    how to set {@link #maxExpansionRatio()}
     */
    public record SettingNames(String devices, String maxUncompressedBytes, String maxExpansionRatio) {
        /** For callers of the engine as a library: the builder methods. */
        public static final SettingNames ENGINE = new SettingNames("ReaderOptions.Builder.devices({})",
                "ReaderOptions.Builder.maxUncompressedBytes({})", "ReaderOptions.Builder.maxExpansionRatio({})");

        public SettingNames {
            Objects.requireNonNull(devices, "devices");
            Objects.requireNonNull(maxUncompressedBytes, "maxUncompressedBytes");
            Objects.requireNonNull(maxExpansionRatio, "maxExpansionRatio");
        }

        /** {@code pattern} with {@code value} in its place: how to set one value. */
        static String set(String pattern, String value) {
            return pattern.replace("{}", value);
        }
    }

    private final DevicePolicy devices;
    private final boolean restoreOwnership;
    private final long maxUncompressedBytes;
    private final long maxExpansionRatio;
    private final long ratioGraceBytes;
    private final SettingNames settingNames;
    private final ProgressListener progress;
    private final EngineLog log;

    private ReaderOptions(Builder builder) {
        this.devices = builder.devices;
        this.restoreOwnership = builder.restoreOwnership;
        this.maxUncompressedBytes = builder.maxUncompressedBytes;
        this.maxExpansionRatio = builder.maxExpansionRatio;
        this.ratioGraceBytes = builder.ratioGraceBytes;
        this.settingNames = builder.settingNames;
        this.progress = builder.progress;
        this.log = builder.log;
    }

    /** For images the user trusts (own builds, local files): every device node allowed, owners restored. */
    public static ReaderOptions defaults() {
        return DEFAULTS;
    }

    /** For images from elsewhere (fetched): only {@link DevicePolicy#STANDARD} devices. */
    public static ReaderOptions untrusted() {
        return UNTRUSTED;
    }

    /**
     * For an image this engine has just written itself (a build's output): every device and no expansion ratio,
     * since its bytes are the user's own build and a mostly-zero file is no bomb there; the size bound stays.
     */
    public static ReaderOptions ownOutput() {
        return OWN_OUTPUT;
    }

    /** A builder preset with {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with these options, to change some of them. */
    public Builder toBuilder() {
        return new Builder().devices(devices).restoreOwnership(restoreOwnership)
                .maxUncompressedBytes(maxUncompressedBytes).maxExpansionRatio(maxExpansionRatio)
                .ratioGraceBytes(ratioGraceBytes).settingNames(settingNames).progress(progress).log(log);
    }

    /**
     * Which device nodes may be extracted (fifos always may); {@link DevicePolicy#ALL} suits trusted local
     * images, a refused device fails the whole extraction.
     */
    public DevicePolicy devices() {
        return devices;
    }

    /** Set each entry's uid/gid (needs root); false leaves everything owned by the caller. */
    public boolean restoreOwnership() {
        return restoreOwnership;
    }

    /** The largest uncompressed tar accepted; an entry that declares more is refused before its data is read. */
    public long maxUncompressedBytes() {
        return maxUncompressedBytes;
    }

    /** The largest ratio of uncompressed to compressed bytes, checked after {@link #ratioGraceBytes()}. */
    public long maxExpansionRatio() {
        return maxExpansionRatio;
    }

    /**
     * Uncompressed bytes read before the ratio is checked, so that small, highly compressible images (a tar of a
     * few files is mostly zero padding) pass.
     */
    public long ratioGraceBytes() {
        return ratioGraceBytes;
    }

    /** How the user sets these limits, for messages. */
    public SettingNames settingNames() {
        return settingNames;
    }

    /**
     * Refuses an entry whose header declares more than {@link #maxUncompressedBytes()}, on the header's word and
     * before a byte is written: otherwise a huge entry would fill the disk up to the limit first.
     */
    public void requireDeclaredSizeWithinLimit(TarEntry entry) {
        if (entry.size() > maxUncompressedBytes) {
            throw AciFormatException.forEntry(entry.name(), "the entry declares " + entry.size() + " bytes: more"
                    + " than " + maxUncompressedBytes + " bytes, the limit for a whole image (refused before reading"
                    + " it). " + raiseSizeLimit());
        }
    }

    /** Refuses a device node the {@link #devices()} policy does not allow, naming the setting that allows it. */
    public void requireDeviceAllowed(TarEntry entry) {
        devices.requireAllowed(entry, SettingNames.set(settingNames.devices(), DevicePolicy.ALL.displayName()));
    }

    /** The sentence that says how to accept a larger image. */
    String raiseSizeLimit() {
        return "If the image is genuine, raise the limit with "
                + SettingNames.set(settingNames.maxUncompressedBytes(), "SIZE") + " (now " + maxUncompressedBytes
                + " bytes).";
    }

    /** The sentence that says how to accept a higher expansion ratio. */
    String raiseRatioLimit() {
        return "If the image is genuine (e.g. a large file of zeros), raise the limit with "
                + SettingNames.set(settingNames.maxExpansionRatio(), "N") + " (now " + maxExpansionRatio + ").";
    }

    /** Receives uncompressed bytes read. */
    public ProgressListener progress() {
        return progress;
    }

    /** Receives warnings on attributes that could not be restored. */
    public EngineLog log() {
        return log;
    }

    /**
     * These options, with {@code fallback} as the log when none was given: the store and the OCI importer pass
     * their own, so that an attribute this host refuses is never dropped silently.
     */
    public ReaderOptions withDefaultLog(EngineLog fallback) {
        return log != EngineLog.SILENT || fallback == null ? this : toBuilder().log(fallback).build();
    }

    /** Builder; every setter is optional. */
    public static final class Builder {
        private DevicePolicy devices = DevicePolicy.ALL;
        private boolean restoreOwnership = true;
        private long maxUncompressedBytes = DEFAULT_MAX_UNCOMPRESSED_BYTES;
        private long maxExpansionRatio = DEFAULT_MAX_EXPANSION_RATIO;
        private long ratioGraceBytes = DEFAULT_RATIO_GRACE_BYTES;
        private SettingNames settingNames = SettingNames.ENGINE;
        private ProgressListener progress = ProgressListener.NONE;
        private EngineLog log = EngineLog.SILENT;

        private Builder() {
        }

        public Builder devices(DevicePolicy value) {
            this.devices = Objects.requireNonNull(value, "devices");
            return this;
        }

        public Builder restoreOwnership(boolean value) {
            this.restoreOwnership = value;
            return this;
        }

        public Builder maxUncompressedBytes(long value) {
            this.maxUncompressedBytes = value;
            return this;
        }

        public Builder maxExpansionRatio(long value) {
            this.maxExpansionRatio = value;
            return this;
        }

        public Builder ratioGraceBytes(long value) {
            this.ratioGraceBytes = value;
            return this;
        }

        public Builder settingNames(SettingNames value) {
            this.settingNames = Objects.requireNonNull(value, "settingNames");
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

        public ReaderOptions build() {
            if (maxUncompressedBytes <= 0 || maxExpansionRatio <= 0 || ratioGraceBytes < 0) {
                throw new IllegalArgumentException("The reader's limits must be positive: maxUncompressedBytes "
                        + maxUncompressedBytes + ", maxExpansionRatio " + maxExpansionRatio + ", ratioGraceBytes "
                        + ratioGraceBytes + ".");
            }
            return new ReaderOptions(this);
        }
    }
}
