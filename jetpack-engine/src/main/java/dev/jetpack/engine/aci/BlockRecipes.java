package dev.jetpack.engine.aci;

import dev.jetpack.engine.io.FileStatus;
import dev.jetpack.engine.io.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Describes each block of an archive by what it is made of, before its bytes are read: the tar headers of its
 * entries (everything they are encoded from) and, for a file's content, the file's identity on this machine
 * (inode number, size and modification time to the nanosecond), with the range of each entry that falls into the
 * block. The block cache keeps, per description, the digest of the bytes it stood for, so that a block seen
 * before is named without hashing it again ({@link dev.jetpack.engine.aci.compress.BlockCache#findRecipe}); a
 * CRC of the bytes, at a tenth of the hash's cost, confirms each reuse, so a file rewritten in place to the same
 * size with its old mtime put back (cp -p over it) is still told apart, and its block is hashed.
 *
 * <p>Why not the change time, which no user can set: every hard link made to a file or removed from it moves it,
 * and the store links an image's files from the build's layers, so it changes on every build. The device number
 * is left out too: an overlay mount gets a new one each time, while the inode numbers of its layers' files stay.
 * A file modified less than {@link #SETTLING} before the archive started is not described (its block is hashed):
 * a change within the same tick of the file system's clock would leave its mtime as it was.
 *
 * <p>A block is described only if every entry in it is: the manifest, the end of the archive, entries written
 * from a stream rather than a file and recently modified files make it undescribed (null).
 */
final class BlockRecipes {
    static final java.time.Duration SETTLING = java.time.Duration.ofSeconds(2);

    private final Instant settledBefore;
    /** The entries that overlap the block being filled: their description and where they lie in the tar. */
    private final List<Placed> open = new ArrayList<>();
    /** Reused for every entry and block: a digest per call would be a provider lookup per entry. */
    private final MessageDigest entryDigest = Sha256.newDigest();
    private final MessageDigest blockDigest = Sha256.newDigest();
    private final ByteBuffer fields = ByteBuffer.allocate(12 * Long.BYTES);
    private long blockStart;

    private record Placed(byte[] description, long start, long end) {
    }

    /** @param started when the archive was started, for the settling rule */
    BlockRecipes(Instant started) {
        this.settledBefore = started.minus(SETTLING);
    }

    /**
     * An entry, announced before any cut inside or after it.
     *
     * @param source what lstat said of the entry's file, or null when its content does not come from a file
     */
    void entry(TarStreamWriter.EntryPlan plan, FileStatus source, long start, long end) {
        open.add(new Placed(describe(plan, source), start, end));
    }

    /** The description of the block that ends at {@code offset}, or null when part of it cannot be described. */
    byte[] cut(long offset) {
        boolean described = true;
        for (Placed placed : open) {
            long from = Math.max(blockStart, placed.start());
            long to = Math.min(offset, placed.end());
            if (to <= from) {
                continue; // starts at this cut: it belongs to the next block
            }
            if (placed.description() == null) {
                described = false;
                break;
            }
            blockDigest.update(placed.description());
            blockDigest.update(fields.clear().putLong(from - placed.start()).putLong(to - placed.start()).array(),
                    0, 2 * Long.BYTES);
        }
        open.removeIf(placed -> placed.end() <= offset);
        blockStart = offset;
        byte[] recipe = blockDigest.digest(); // also resets it for the next block
        return described ? recipe : null;
    }

    /**
     * What decides an entry's bytes: the fields its headers are encoded from and, for a file, its identity; null
     * for a file whose content comes from elsewhere, or that was modified too recently to be told apart.
     */
    private byte[] describe(TarStreamWriter.EntryPlan plan, FileStatus source) {
        TarEntry entry = plan.entry();
        boolean file = entry.type() == TarEntry.Type.FILE;
        if (file && (source == null || source.size() != entry.size()
                || !source.mtime().isBefore(settledBefore))) {
            return null;
        }
        byte[] name = plan.tarName().getBytes(StandardCharsets.UTF_8);
        byte[] link = entry.linkName().getBytes(StandardCharsets.UTF_8);
        entryDigest.update(fields.clear().putInt(name.length).putInt(link.length).array(), 0, 2 * Integer.BYTES);
        entryDigest.update(name);
        entryDigest.update(link);
        fields.clear().putLong(entry.type().ordinal()).putLong(entry.mode()).putLong(entry.uid())
                .putLong(entry.gid()).putLong(entry.size()).putLong(plan.headerSeconds()).putLong(entry.devMajor())
                .putLong(entry.devMinor()).putLong(plan.headerBytes())
                .putLong(plan.paxData() == null ? -1 : plan.paxData().length);
        entryDigest.update(fields.array(), 0, fields.position());
        if (plan.paxData() != null) {
            entryDigest.update(plan.paxData());
        }
        if (file) {
            fields.clear().putLong(source.inode()).putLong(source.size()).putLong(source.mtime().getEpochSecond())
                    .putLong(source.mtime().getNano());
            entryDigest.update(fields.array(), 0, fields.position());
        }
        return entryDigest.digest();
    }
}
