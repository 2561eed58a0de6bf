package dev.jetpack.engine.aci;

import java.nio.charset.StandardCharsets;
import java.util.function.LongConsumer;

/**
 * Chooses where the compressed blocks of an ACI end, from the entries alone, never from their offset in the
 * archive: an entry boundary is a candidate when a hash of the entry's path, scaled by the entry's size, says so
 * (so that candidates come about every {@link BlockSizes#target()} bytes), and a candidate is taken once the block
 * holds {@link BlockSizes#min()} bytes. Blocks are also ended before they would pass {@link BlockSizes#max()}, and an
 * entry larger than that is cut into pieces measured from its own start.
 *
 * <p>So one tree always gives the same blocks, and a change in one file changes the block around it (and, when its
 * size changes the min/max choices, a few after it until a candidate lines up again) while the rest of the archive
 * keeps its blocks and can be reused from the cache. The manifest is a block of its own: it changes on every build
 * (its timestamp), the tree often does not.
 */
final class BlockCutter {

    private final BlockSizes sizes;
    private final LongConsumer cut;
    private long lastCut;
    /** Whether the previous entry is a candidate to end a block after. */
    private boolean candidate;

    /** @param cut receives the offsets (uncompressed, from the start of the tar) at which blocks end */
    BlockCutter(BlockSizes sizes, LongConsumer cut) {
        this.sizes = sizes;
        this.cut = cut;
    }

    /**
     * Called before an entry is written.
     *
     * @param tarName     the entry's name in the tar
     * @param start       the offset of its first header
     * @param headerBytes its headers (a pax header entry, if any, and its own header)
     * @param dataBytes   its content, unpadded
     * @param alone       whether it must be a block of its own
     */
    void entry(String tarName, long start, long headerBytes, long dataBytes, boolean alone) {
        long end = start + headerBytes + TarStreamWriter.padded(dataBytes);
        long entryBytes = end - start;
        long since = start - lastCut;
        boolean big = entryBytes > sizes.max();
        if (since > 0 && (alone || big || since + entryBytes > sizes.max() || (candidate && since >= sizes.min()))) {
            cutAt(start);
        }
        if (big) {
            long dataStart = start + headerBytes;
            for (long at = dataStart + sizes.chunk(); at < dataStart + dataBytes; at += sizes.chunk()) {
                cutAt(at);
            }
        }
        if (alone || big) {
            cutAt(end);
            candidate = false;
        } else {
            candidate = chance(tarName) * sizes.target() < entryBytes;
        }
    }

    private void cutAt(long offset) {
        cut.accept(offset);
        lastCut = offset;
    }

    /** A value in [0, 1) from the path: FNV-1a over its UTF-8 bytes, then splitmix64's finalizer to spread it. */
    static double chance(String tarName) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : tarName.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 30;
        hash *= 0xbf58476d1ce4e5b9L;
        hash ^= hash >>> 27;
        hash *= 0x94d049bb133111ebL;
        hash ^= hash >>> 31;
        return (hash >>> 11) * 0x1.0p-53;
    }

}
