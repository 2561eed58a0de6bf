package dev.jetpack.engine.aci.compress;

import dev.jetpack.engine.io.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.UnsupportedOptionsException;
import org.tukaani.xz.XZOutputStream;

/**
 * Compresses one block of an archive into a self-contained piece of its format: an xz stream, a gzip member or a
 * bzip2 stream. Concatenated, such pieces are a valid file of that format ({@code xz -d}, {@code gzip -d} and
 * {@code bzip2 -d} decode all of them in order), so blocks can be compressed independently, in parallel, and
 * reused from a {@link BlockCache}.
 *
 * <p>The bytes of a piece depend only on the block's bytes, the format and the level: each piece is made by a
 * single-threaded encoder with no time stamp or name in it. They do depend on the encoder's implementation and
 * version (xz 5.4 and xz-java, or two zlib builds, write different bytes), so {@link #identity()} names the
 * implementation and carries a fingerprint: the digest of what it makes of a fixed sample. Cached pieces are keyed
 * by it, and an encoder that changes under an upgrade simply finds no cached piece.
 */
public final class BlockEncoder {
    private static final int SAMPLE_SIZE = 64 * 1024;
    private static final Map<String, BlockEncoder> ENCODERS = new ConcurrentHashMap<>();
    private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3}; // deflate, no flags, Unix

    /** One way of compressing a whole block. */
    @FunctionalInterface
    private interface Encoding {
        byte[] encode(byte[] data, int length) throws IOException;
    }

    private final String format;
    private final String identity;
    private final Encoding encoding;

    /** @param description starts with the format and level, e.g. "xz-6 xz (XZ Utils) 5.4.1" */
    private BlockEncoder(String description, Encoding encoding) throws IOException {
        this.format = description.substring(0, description.indexOf('-'));
        this.encoding = encoding;
        this.identity = description + " " + fingerprint(encoding);
    }

    /** "xz", "gzip" or "bzip2". */
    public String format() {
        return format;
    }

    /**
     * gzip members, deflated by libdeflate when it is installed ({@link Libdeflate}: about three times as fast as
     * zlib at the same level, and a percent smaller), else by the JDK's zlib. Level 0 (stored) is always zlib's.
     */
    public static BlockEncoder gzip(int level) {
        checkLevel(level, 0, 9, "gzip");
        return cached("gzip-" + level, () -> {
            if (level > 0 && Libdeflate.available()) {
                return new BlockEncoder("gzip-" + level + " libdeflate", (data, length) -> {
                    Libdeflate.Deflated deflated = Libdeflate.deflate(data, length, level);
                    return gzipMember(deflated.bytes(), deflated.length(), data, length, level);
                });
            }
            return new BlockEncoder("gzip-" + level + " zlib", (data, length) -> gzipMember(data, length, level));
        });
    }

    /**
     * bzip2 streams by the system's {@code bzip2} when it runs (native bzip2 is about 1.6 times as fast as
     * commons-compress), else by commons-compress.
     */
    public static BlockEncoder bzip2(int level) {
        checkLevel(level, 1, 9, "bzip2");
        return cached("bzip2-" + level, () -> {
            Optional<Path> program = HostPrograms.find("bzip2", "bzip2, a block-sorting", "-V");
            if (program.isPresent()) {
                return piped("bzip2-" + level, program.get(), "-V", "-" + level, "-c", "-q");
            }
            return new BlockEncoder("bzip2-" + level + " commons-compress", (data, length) -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream(length / 3 + 64);
                try (OutputStream bzip2 = new BZip2CompressorOutputStream(out, level)) {
                    bzip2.write(data, 0, length);
                }
                return out.toByteArray();
            });
        });
    }

    /**
     * xz streams of one block by the system's {@code xz} on one thread when it runs (about 1.25 times as fast as
     * xz-java), else by xz-java.
     */
    public static BlockEncoder xz(int level) throws UnsupportedOptionsException {
        checkLevel(level, 0, 9, "xz");
        LZMA2Options options = new LZMA2Options(level);
        return cached("xz-" + level, () -> {
            Optional<Path> program = SystemXzOutputStream.find();
            if (program.isPresent()) {
                // -T1: one thread writes one block whatever the machine; xz 5.6 would otherwise default to -T0
                return piped("xz-" + level, program.get(), "--version", "-T1", "-" + level, "-c", "-q");
            }
            return new BlockEncoder("xz-" + level + " xz-java", (data, length) -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream(length / 4 + 64);
                try (XZOutputStream xz = new XZOutputStream(out, options)) {
                    xz.write(data, 0, length);
                }
                return out.toByteArray();
            });
        });
    }

    /** An encoder that pipes each block through a native program; its version is part of the identity. */
    private static BlockEncoder piped(String format, Path program, String versionFlag, String... arguments)
            throws IOException {
        List<String> command = new java.util.ArrayList<>();
        command.add(program.toString());
        command.addAll(List.of(arguments));
        return new BlockEncoder(format + " " + HostPrograms.version(program, versionFlag),
                (data, length) -> HostPrograms.filter(command, data, length));
    }

    /** Names the format, level, implementation and its fingerprint; part of every {@link BlockCache} key. */
    public String identity() {
        return identity;
    }

    /** Compresses {@code data[0, length)} into one self-contained stream or member. */
    public byte[] encode(byte[] data, int length) throws IOException {
        return encoding.encode(data, length);
    }

    @Override
    public String toString() {
        return identity;
    }

    @FunctionalInterface
    private interface Factory {
        BlockEncoder create() throws IOException;
    }

    /** One encoder per format and level in a JVM: the fingerprint (and the program lookup) is paid once. */
    private static BlockEncoder cached(String key, Factory factory) {
        return ENCODERS.computeIfAbsent(key, k -> {
            try {
                return factory.create();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("Could not set up the " + k + " block compressor: "
                        + e.getMessage(), e);
            }
        });
    }

    private static void checkLevel(int level, int min, int max, String format) {
        if (level < min || level > max) {
            throw new IllegalArgumentException(format + " level must be " + min + ".." + max + ": " + level);
        }
    }

    /** A gzip member deflated by the JDK's zlib. */
    static byte[] gzipMember(byte[] data, int length, int level) {
        Deflater deflater = new Deflater(level, true); // raw deflate: the gzip framing is ours
        try {
            deflater.setInput(data, 0, length);
            deflater.finish();
            byte[] output = new byte[length + length / 8 + 64];
            int written = 0;
            while (!deflater.finished()) {
                if (written == output.length) {
                    output = java.util.Arrays.copyOf(output, output.length * 2);
                }
                written += deflater.deflate(output, written, output.length - written);
            }
            return gzipMember(output, written, data, length, level);
        } finally {
            deflater.end();
        }
    }

    /**
     * Frames {@code deflated[0, deflatedLength)}, the raw deflate data of {@code data[0, length)}, as a gzip member
     * with no time stamp and no name, XFL and OS as gzip writes them.
     */
    private static byte[] gzipMember(byte[] deflated, int deflatedLength, byte[] data, int length, int level) {
        byte[] output = new byte[GZIP_HEADER.length + deflatedLength + 8];
        System.arraycopy(GZIP_HEADER, 0, output, 0, GZIP_HEADER.length);
        output[8] = (byte) (level == 9 ? 2 : level == 1 ? 4 : 0);
        System.arraycopy(deflated, 0, output, GZIP_HEADER.length, deflatedLength);
        int trailer = GZIP_HEADER.length + deflatedLength;
        CRC32 crc = new CRC32();
        crc.update(data, 0, length);
        long value = crc.getValue();
        for (int i = 0; i < 4; i++) {
            output[trailer + i] = (byte) (value >>> (8 * i));
            output[trailer + 4 + i] = (byte) (length >>> (8 * i)); // ISIZE
        }
        return output;
    }

    /** The SHA-256 of what the encoding makes of a fixed, text-like sample: changes when its bytes would. */
    private static String fingerprint(Encoding encoding) throws IOException {
        byte[] sample = new byte[SAMPLE_SIZE];
        Random random = new Random(12); // fixed: the sample must be the same in every JVM
        String[] words = {"usr", "lib", "share", "doc", "the", "of", "#include", "return", "0x", "\n", "  ", "=",
            "config", "{", "}", ";", "license", "debian", "x86_64", "README"};
        int at = 0;
        while (at < SAMPLE_SIZE) {
            byte[] word = (random.nextInt(8) == 0 ? Integer.toHexString(random.nextInt())
                    : words[random.nextInt(words.length)]).getBytes(StandardCharsets.US_ASCII);
            int n = Math.min(word.length, SAMPLE_SIZE - at);
            System.arraycopy(word, 0, sample, at, n);
            at += n;
        }
        return Sha256.hex(encoding.encode(sample, sample.length)).substring(0, 16);
    }
}
