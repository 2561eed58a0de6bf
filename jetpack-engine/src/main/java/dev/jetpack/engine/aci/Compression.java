package dev.jetpack.engine.aci;

import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.aci.compress.AbortableOutputStream;
import dev.jetpack.engine.aci.compress.BlockEncoder;
import dev.jetpack.engine.aci.compress.CompressionStreams;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.tukaani.xz.UnsupportedOptionsException;

/**
 * The compressions an ACI may use (appc allows exactly these four), recognised by magic bytes, never by a file
 * name.
 *
 * <p>{@link #compress} is the single place where a compressor is chosen (the streams themselves are in
 * {@link dev.jetpack.engine.aci.compress}), so a faster implementation can replace one there without changing any
 * caller.
 */
public enum Compression {
    NONE("none", -1, -1, -1),
    GZIP("gzip", 6, 0, 9),
    BZIP2("bzip2", 9, 1, 9),
    XZ("xz", 6, 0, 9);

    /**
     * What an ACI is compressed with when nobody says: gzip, as OCI layers and docker images are. xz makes the
     * file about a fifth smaller but takes several times as long to write (see README, Performance), which every
     * cold build would pay in full; Jetpack's own default was xz, still one setting away.
     */
    public static final Compression DEFAULT = GZIP;

    /** {@link #DEFAULT}'s {@link #configName()}, for the annotations that need a constant. */
    public static final String DEFAULT_NAME = "gzip";

    /** Bytes needed to recognise every format: an uncompressed tar is recognised by its first header block. */
    public static final int DETECT_BYTES = 512;

    /** {@code threads} value for {@link #compress(OutputStream, int, int)} meaning "one per available processor". */
    public static final int ALL_CORES = 0;

    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;
    private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b};
    private static final byte[] BZIP2_MAGIC = {'B', 'Z', 'h'};
    private static final byte[] XZ_MAGIC = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};
    private static final byte[] TAR_MAGIC = {'u', 's', 't', 'a', 'r'};
    private static final int TAR_MAGIC_OFFSET = 257;
    /** Formats that are recognised only to name them in the refusal: appc allows none of them. */
    private static final List<RefusedFormat> REFUSED = List.of(
            new RefusedFormat("zstd", new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}, "zstd -dc"),
            new RefusedFormat("lzma (.lzma, xz's legacy format)", new byte[] {0x5d, 0, 0}, "xz --format=lzma -dc"),
            new RefusedFormat("compress (.Z)", new byte[] {0x1f, (byte) 0x9d}, "gzip -dc"),
            new RefusedFormat("lz4", new byte[] {0x04, 0x22, 0x4d, 0x18}, "lz4 -dc"),
            new RefusedFormat("lzip", new byte[] {'L', 'Z', 'I', 'P'}, "lzip -dc"));

    private record RefusedFormat(String name, byte[] magic, String decompress) {
    }

    private final String configName;
    private final int defaultLevel;
    private final int minLevel;
    private final int maxLevel;

    Compression(String configName, int defaultLevel, int minLevel, int maxLevel) {
        this.configName = configName;
        this.defaultLevel = defaultLevel;
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
    }

    /** The name used in configuration ("xz", "gzip", "bzip2", "none"). */
    public String configName() {
        return configName;
    }

    /** The level used when the caller passes -1: xz 6, gzip 6, bzip2 9 (the tools' own defaults). */
    public int defaultLevel() {
        return defaultLevel;
    }

    /** Parses a user's setting, case-insensitively. */
    public static Compression parse(String value) {
        String wanted = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (Compression c : values()) {
            if (c.configName.equals(wanted)) {
                return c;
            }
        }
        throw new JetpackException("Unknown compression '" + value + "': an ACI is compressed with one of xz, gzip,"
                + " bzip2 or none. Set one of these (" + DEFAULT.configName + " is the default).");
    }

    /**
     * Recognises the format from the first bytes of a stream (up to {@link #DETECT_BYTES}; fewer is fine when
     * the stream is shorter).
     *
     * @throws AciFormatException naming the bytes seen and the accepted formats when nothing matches
     */
    public static Compression detect(byte[] firstBytes) {
        if (startsWith(firstBytes, XZ_MAGIC)) {
            return XZ;
        }
        if (startsWith(firstBytes, GZIP_MAGIC)) {
            return GZIP;
        }
        if (startsWith(firstBytes, BZIP2_MAGIC)) {
            return BZIP2;
        }
        if (firstBytes.length >= TAR_MAGIC_OFFSET + TAR_MAGIC.length && Arrays.equals(firstBytes, TAR_MAGIC_OFFSET,
                TAR_MAGIC_OFFSET + TAR_MAGIC.length, TAR_MAGIC, 0, TAR_MAGIC.length)) {
            return NONE;
        }
        // v7, old bsdtar and star headers have no magic, and an empty archive is all zeros: GNU tar reads both
        if (TarReader.isTarStart(firstBytes)) {
            return NONE;
        }
        String accepted = "; accepted are xz (fd 37 7a 58 5a 00), gzip (1f 8b), bzip2 ('BZh') or an uncompressed tar"
                + " ('ustar' at offset 257, or an older header with a valid checksum)";
        for (RefusedFormat refused : REFUSED) {
            if (startsWith(firstBytes, refused.magic())) {
                throw new AciFormatException("the archive is compressed with " + refused.name() + accepted
                        + ". Decompress it and compress it again with one of them, e.g. `" + refused.decompress()
                        + " FILE | xz > FILE.tar.xz`, or give the uncompressed tar.");
            }
        }
        String seen = firstBytes.length == 0 ? "nothing (the input is empty)"
                : HexFormat.ofDelimiter(" ").formatHex(firstBytes, 0, Math.min(16, firstBytes.length));
        throw new AciFormatException("not a tar archive in a known compression: the first bytes are " + seen
                + accepted + ". Check that the file is an ACI (or a rootfs tarball) and was downloaded completely.");
    }


    /**
     * Recognises the format of a stream without consuming it: reads ahead with mark/reset.
     *
     * @param in a stream that supports mark (e.g. a {@link BufferedInputStream})
     */
    public static Compression detect(InputStream in) throws IOException {
        if (!in.markSupported()) {
            throw new IllegalArgumentException("detect needs a stream that supports mark/reset");
        }
        in.mark(DETECT_BYTES);
        byte[] head = in.readNBytes(DETECT_BYTES);
        in.reset();
        return detect(head);
    }

    /**
     * Wraps {@code out} in this compressor, using all cores. Closing the returned stream finishes the compressed
     * format and closes {@code out}.
     *
     * @param level 0..9 (bzip2 1..9), or -1 for {@link #defaultLevel()}; ignored for {@link #NONE}
     */
    public OutputStream compress(OutputStream out, int level) throws IOException {
        return compress(out, level, ALL_CORES);
    }

    /**
     * Wraps {@code out} in this compressor. Closing the returned stream finishes the compressed format and closes
     * {@code out}. gzip is compressed pigz-style; xz by the system's {@code xz} when installed and otherwise by
     * xz-java in independent blocks; bzip2 on one thread (see {@link CompressionStreams}). A returned
     * {@link AbortableOutputStream} must be {@linkplain AbortableOutputStream#abort() aborted} when it is abandoned
     * unclosed.
     *
     * @param level   0..9 (bzip2 1..9), or -1 for {@link #defaultLevel()}; ignored for {@link #NONE}
     * @param threads compression threads, or {@link #ALL_CORES}
     */
    public OutputStream compress(OutputStream out, int level, int threads) throws IOException {
        int effective = checkLevel(level);
        int workers = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        switch (this) {
            case NONE:
                return out;
            case GZIP:
                return CompressionStreams.gzipOutput(out, effective, workers);
            case BZIP2:
                return CompressionStreams.bzip2Output(out, effective);
            case XZ:
                try {
                    return CompressionStreams.xzOutput(out, effective, workers);
                } catch (UnsupportedOptionsException e) {
                    throw new JetpackException("xz level " + level + " is not supported: " + e.getMessage(), e);
                }
            default:
                throw new AssertionError(this);
        }
    }

    /**
     * The encoder of the independent blocks an ACI is written in: each block becomes one xz stream, gzip member or
     * bzip2 stream (libdeflate, native {@code xz} and {@code bzip2} when installed, see {@link BlockEncoder}).
     *
     * @param level 0..9 (bzip2 1..9), or -1 for {@link #defaultLevel()}
     */
    public BlockEncoder blockEncoder(int level) {
        int effective = checkLevel(level);
        switch (this) {
            case GZIP:
                return BlockEncoder.gzip(effective);
            case BZIP2:
                return BlockEncoder.bzip2(effective);
            case XZ:
                try {
                    return BlockEncoder.xz(effective);
                } catch (UnsupportedOptionsException e) {
                    throw new JetpackException("xz level " + level + " is not supported: " + e.getMessage(), e);
                }
            default:
                throw new IllegalStateException("an uncompressed archive has no blocks");
        }
    }

    /**
     * How large this format's independent blocks are: large enough that the output stays within about 1% of one
     * stream (xz needs megabytes of history, deflate only 32 KiB, bzip2 works in 900 kB blocks anyway), small
     * enough that a small change recompresses little and two cores have blocks to share.
     */
    public BlockSizes blockSizes() {
        switch (this) {
            case GZIP:
                return new BlockSizes(512 * KIB, MIB, 4 * MIB);
            case BZIP2:
                return new BlockSizes(MIB, 2 * MIB, 8 * MIB);
            case XZ:
                return new BlockSizes(4 * MIB, 8 * MIB, 24 * MIB);
            default:
                throw new IllegalStateException("an uncompressed archive has no blocks");
        }
    }

    /** Wraps {@code in} in this decompressor (concatenated gzip, bzip2 and xz streams are read in full). */
    public InputStream decompress(InputStream in) throws IOException {
        switch (this) {
            case NONE:
                return in;
            case GZIP:
                return CompressionStreams.gzipInput(in);
            case BZIP2:
                return CompressionStreams.bzip2Input(in);
            case XZ:
                return CompressionStreams.xzInput(in);
            default:
                throw new AssertionError(this);
        }
    }

    private int checkLevel(int level) {
        if (this == NONE || level == -1) {
            return defaultLevel;
        }
        if (level < minLevel || level > maxLevel) {
            throw new JetpackException("Compression level " + level + " is out of range for " + configName + ": use "
                    + minLevel + ".." + maxLevel + ", or -1 for the default (" + defaultLevel + ").");
        }
        return level;
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }
}
