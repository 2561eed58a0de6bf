package dev.jetpack.engine.aci;

/**
 * How large the independently compressed blocks of an ACI are (see {@link BlockCutter}). A block ends at an entry
 * boundary chosen by the entry's path and size once it holds at least {@code min} bytes, about {@code target} bytes
 * later on average, and before it would pass {@code max}; an entry larger than {@code max} gets blocks of its own,
 * cut every {@code min + target} bytes of its data.
 *
 * <p>Smaller blocks make a rebuild after a small change recompress less, larger ones compress better; the defaults
 * per format ({@link Compression#blockSizes()}) keep the size within about 1% of one stream.
 */
public record BlockSizes(long min, long target, long max) {
    public BlockSizes {
        if (min <= 0 || target <= 0 || max < min + target) {
            throw new IllegalArgumentException("block sizes need 0 < min, 0 < target and min + target <= max; got"
                    + " min " + min + ", target " + target + ", max " + max);
        }
    }

    /** Bytes of data per block inside an entry too large for one block. */
    long chunk() {
        return min + target;
    }
}
