package dev.jetpack.engine.aci.compress;

import dev.jetpack.engine.io.AtomicFiles;
import dev.jetpack.engine.io.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Compressed blocks on disk, keyed by the SHA-256 of their uncompressed bytes and the {@link BlockEncoder#identity()}
 * that made them, so that writing an archive again compresses only the blocks that changed.
 *
 * <p>Safe across threads and JVMs without locks: a block is written to a temporary sibling and renamed into place,
 * and since an entry's content is determined by its key, two writers racing on one key write the same bytes. Each
 * file carries its length and a CRC32C, so a damaged entry is dropped and counts as a miss instead of going into an
 * image. A hit renews the entry's mtime; {@link #trim()} deletes the least recently used entries until the cache
 * fits its size limit.
 *
 * <p>Beside the blocks it keeps recipes: for a description of what a block is made of (its entries' headers and
 * files' identities, see {@code dev.jetpack.engine.aci.BlockRecipes}), the SHA-256, length and CRC32C of the bytes
 * it stood for, so that a writer finds a block it has seen without hashing it ({@link #findRecipe}).
 */
public final class BlockCache {
    /** The default bound: a few images' worth of xz blocks. */
    public static final long DEFAULT_MAX_BYTES = 2L * 1024 * 1024 * 1024;
    private static final byte[] MAGIC = "JPBLK1\n\0".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = MAGIC.length + 8 + 4;
    private static final String RECIPES = "recipes";
    /** A recipe's record: the block's uncompressed SHA-256, its length and its CRC32C. */
    private static final int RECIPE_RECORD = 32 + 4 + 4;
    /** A temporary file this old belongs to a writer that died: no block takes an hour to store. */
    private static final Duration STALE_TEMPORARY = Duration.ofHours(1);

    private final Path directory;
    private final long maxBytes;

    /**
     * @param directory where the blocks live (created when the first block is stored)
     * @param maxBytes  the size {@link #trim()} brings the cache down to
     */
    public BlockCache(Path directory, long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("the block cache limit must be positive: " + maxBytes);
        }
        this.directory = directory;
        this.maxBytes = maxBytes;
    }

    public Path directory() {
        return directory;
    }

    /** The key of a block: what it decompresses to and what compressed it. */
    public record Key(String encoderIdentity, byte[] uncompressedSha256) {
        /** The key of {@code data[0, length)} compressed by {@code encoder}. */
        public static Key of(BlockEncoder encoder, byte[] data, int length) {
            MessageDigest sha256 = sha256();
            sha256.update(data, 0, length);
            return new Key(encoder.identity(), sha256.digest());
        }

        String fileName() {
            return HexFormat.of().formatHex(uncompressedSha256);
        }

        /** One directory per encoder identity, named by a digest of it (identities hold spaces and versions). */
        String encoderDirectory() {
            return HexFormat.of().formatHex(sha256().digest(encoderIdentity.getBytes(StandardCharsets.UTF_8)), 0,
                    12);
        }
    }

    /** The compressed block stored under {@code key}, if any (a damaged entry is deleted and reported as absent). */
    public Optional<byte[]> find(Key key) {
        return read(file(key));
    }

    /** Stores a compressed block; a failure to store costs only the reuse, so it is not thrown. */
    public void store(Key key, byte[] compressed) {
        write(file(key), compressed);
    }

    /**
     * The uncompressed SHA-256 of the block that {@code recipe} describes (see
     * {@link BlockCompressingOutputStream#cutAt(long, byte[])}), if a block of that recipe was stored and
     * {@code data[0, length)} has the length and the CRC32C recorded with it: the CRC confirms, at a tenth of the
     * cost of the hash, that the bytes are the ones the recipe stood for.
     */
    public Optional<byte[]> findRecipe(byte[] recipe, byte[] data, int length) {
        Optional<byte[]> record = read(recipeFile(recipe));
        if (record.isEmpty() || record.get().length != RECIPE_RECORD) {
            return Optional.empty();
        }
        ByteBuffer fields = ByteBuffer.wrap(record.get());
        byte[] sha256 = new byte[32];
        fields.get(sha256);
        if (fields.getInt() != length || fields.getInt() != crc32c(data, length)) {
            return Optional.empty();
        }
        return Optional.of(sha256);
    }

    /** Records that the block {@code recipe} describes is {@code data[0, length)}, of SHA-256 {@code sha256}. */
    public void storeRecipe(byte[] recipe, byte[] sha256, byte[] data, int length) {
        write(recipeFile(recipe), ByteBuffer.allocate(RECIPE_RECORD).put(sha256).putInt(length)
                .putInt(crc32c(data, length)).array());
    }

    private static int crc32c(byte[] data, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, 0, length);
        return (int) crc.getValue();
    }

    private Optional<byte[]> read(Path file) {
        byte[] stored;
        try {
            stored = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // unreadable: compress again, the archive stays correct
        }
        Optional<byte[]> content = unwrap(stored);
        try {
            if (content.isEmpty()) {
                Files.deleteIfExists(file);
            } else {
                Files.setLastModifiedTime(file, FileTime.from(Instant.now())); // most recently used
            }
        } catch (IOException e) {
            // another JVM trimmed it meanwhile, or the cache is read-only: the content read is still good
        }
        return content;
    }

    private void write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), AtomicFiles.TEMP_MARKER, "");
            try {
                try (OutputStream out = Files.newOutputStream(temporary)) {
                    out.write(header(content));
                    out.write(content);
                }
                AtomicFiles.move(temporary, file);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            // a full disk or a read-only cache: the archive is written all the same, only not reusable
        }
    }

    /**
     * Deletes least recently used blocks until the cache holds at most its limit, and temporaries of writers that
     * died. Concurrent writers lose nothing: a block deleted under a reader is a miss for it.
     */
    public void trim() throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        record Entry(Path file, long size, FileTime used) {
        }
        List<Entry> entries = new ArrayList<>();
        long total = 0;
        Instant staleBefore = Instant.now().minus(STALE_TEMPORARY);
        try (DirectoryStream<Path> encoders = Files.newDirectoryStream(directory)) {
            for (Path encoderDir : encoders) {
                if (!Files.isDirectory(encoderDir)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(encoderDir)) {
                    for (Path file : files) {
                        BasicFileAttributes attributes;
                        try {
                            attributes = Files.readAttributes(file, BasicFileAttributes.class);
                        } catch (NoSuchFileException e) {
                            continue;
                        }
                        if (file.getFileName().toString().startsWith(AtomicFiles.TEMP_MARKER)) {
                            if (attributes.lastModifiedTime().toInstant().isBefore(staleBefore)) {
                                Files.deleteIfExists(file);
                            }
                            continue;
                        }
                        entries.add(new Entry(file, attributes.size(), attributes.lastModifiedTime()));
                        total += attributes.size();
                    }
                }
            }
        }
        if (total <= maxBytes) {
            return;
        }
        entries.sort(Comparator.comparing(Entry::used));
        for (Entry entry : entries) {
            if (total <= maxBytes) {
                break;
            }
            Files.deleteIfExists(entry.file());
            total -= entry.size();
        }
    }

    private Path file(Key key) {
        return directory.resolve(key.encoderDirectory()).resolve(key.fileName());
    }

    /** Recipes have a directory of their own beside the encoders' (trimmed with them, least recently used first). */
    private Path recipeFile(byte[] recipe) {
        return directory.resolve(RECIPES).resolve(HexFormat.of().formatHex(recipe));
    }

    private static byte[] header(byte[] compressed) {
        CRC32C crc = new CRC32C();
        crc.update(compressed);
        return ByteBuffer.allocate(HEADER).put(MAGIC).putLong(compressed.length).putInt((int) crc.getValue())
                .array();
    }

    private static Optional<byte[]> unwrap(byte[] stored) {
        if (stored.length < HEADER) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(stored);
        byte[] magic = new byte[MAGIC.length];
        buffer.get(magic);
        long length = buffer.getLong();
        int crcValue = buffer.getInt();
        if (!java.util.Arrays.equals(magic, MAGIC) || length != stored.length - HEADER) {
            return Optional.empty();
        }
        CRC32C crc = new CRC32C();
        crc.update(stored, HEADER, stored.length - HEADER);
        if ((int) crc.getValue() != crcValue) {
            return Optional.empty();
        }
        return Optional.of(java.util.Arrays.copyOfRange(stored, HEADER, stored.length));
    }

    private static MessageDigest sha256() {
        return Sha256.newDigest();
    }
}
