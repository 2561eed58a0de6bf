package dev.jetpack.engine.testing;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Deterministic bytes that compress like real files: words from a fixed vocabulary, a few words common and most
 * rare, lines of about a dozen words, and a stretch of random bytes now and then. The same size and seed always
 * give the same bytes, so a failing test or a benchmark input can be made again.
 *
 * @param vocabulary   how many distinct words there are
 * @param noiseOneIn   one piece in this many is a stretch of random bytes instead of a word
 * @param noiseExtra   a stretch of random bytes is 256 bytes plus up to this many (exclusive)
 * @param wordSpread   how far into the vocabulary the (Gaussian) choice of words reaches: larger is less
 *                     repetitive, so it compresses less
 */
public record TextLikeData(int vocabulary, int noiseOneIn, int noiseExtra, double wordSpread) {
    /** The mix the compression tests use. */
    public static final TextLikeData TESTS = new TextLikeData(3000, 200, 4096, 500);

    /** {@code size} bytes of the tests' mix. */
    public static byte[] realistic(int size, long seed) {
        return TESTS.bytes(size, seed);
    }

    /** {@code size} bytes of this mix, the same for the same seed. */
    public byte[] bytes(int size, long seed) {
        Random random = new Random(seed);
        String[] words = new String[vocabulary];
        for (int i = 0; i < words.length; i++) {
            StringBuilder word = new StringBuilder();
            int length = 2 + random.nextInt(9);
            for (int j = 0; j < length; j++) {
                word.append((char) ('a' + random.nextInt(26)));
            }
            words[i] = word.toString();
        }
        byte[] data = new byte[size];
        int at = 0;
        while (at < size) {
            byte[] piece;
            if (random.nextInt(noiseOneIn) == 0) {
                piece = new byte[256 + random.nextInt(noiseExtra)];
                random.nextBytes(piece);
            } else {
                String word = words[(int) Math.min(words.length - 1, Math.abs(random.nextGaussian()) * wordSpread)];
                piece = (word + (random.nextInt(12) == 0 ? "\n" : " ")).getBytes(StandardCharsets.US_ASCII);
            }
            int n = Math.min(piece.length, size - at);
            System.arraycopy(piece, 0, data, at, n);
            at += n;
        }
        return data;
    }
}
