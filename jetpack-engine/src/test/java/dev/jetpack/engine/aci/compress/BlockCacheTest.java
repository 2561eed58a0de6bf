package dev.jetpack.engine.aci.compress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.testing.TextLikeData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The block cache: content-addressed by the uncompressed digest and the encoder, checked, bounded, shareable. */
class BlockCacheTest {
    @TempDir
    Path tmp;

    private final BlockEncoder gzip = BlockEncoder.gzip(6);

    @Test
    void aBlockIsFoundByItsContentAndEncoderOnly() throws IOException {
        BlockCache cache = new BlockCache(tmp, 1 << 20);
        byte[] data = TextLikeData.realistic(50_000, 1);
        BlockCache.Key key = BlockCache.Key.of(gzip, data, data.length);
        assertThat(cache.find(key)).isEmpty();
        byte[] compressed = gzip.encode(data, data.length);
        cache.store(key, compressed);

        assertThat(cache.find(BlockCache.Key.of(gzip, data.clone(), data.length))).hasValue(compressed);
        assertThat(cache.find(BlockCache.Key.of(BlockEncoder.gzip(1), data, data.length)))
                .as("another level is another encoder").isEmpty();
        assertThat(cache.find(BlockCache.Key.of(gzip, data, data.length - 1))).as("other bytes").isEmpty();
        assertThat(gzip.identity()).startsWith("gzip-6 ").isNotEqualTo(BlockEncoder.gzip(1).identity());
    }

    @Test
    void aRecipeNamesItsBlockOnlyForBytesOfTheRecordedLengthAndCrc() {
        BlockCache cache = new BlockCache(tmp, 1 << 20);
        byte[] recipe = new byte[32];
        recipe[0] = 7;
        byte[] data = TextLikeData.realistic(30_000, 5);
        BlockCache.Key key = BlockCache.Key.of(gzip, data, data.length);
        assertThat(cache.findRecipe(recipe, data, data.length)).isEmpty();
        cache.storeRecipe(recipe, key.uncompressedSha256(), data, data.length);

        assertThat(cache.findRecipe(recipe, data.clone(), data.length)).hasValueSatisfying(
                sha256 -> assertThat(sha256).isEqualTo(key.uncompressedSha256()));
        byte[] other = data.clone();
        other[12_345] ^= 1; // what a file changed behind an unchanged identity would give
        assertThat(cache.findRecipe(recipe, other, other.length)).as("other bytes").isEmpty();
        assertThat(cache.findRecipe(recipe, data, data.length - 1)).as("other length").isEmpty();
        assertThat(cache.findRecipe(new byte[32], data, data.length)).as("another recipe").isEmpty();
    }

    @Test
    void aDamagedEntryIsDroppedAndCountsAsAMiss() throws IOException {
        BlockCache cache = new BlockCache(tmp, 1 << 20);
        byte[] data = TextLikeData.realistic(20_000, 2);
        BlockCache.Key key = BlockCache.Key.of(gzip, data, data.length);
        cache.store(key, gzip.encode(data, data.length));
        Path file = onlyFile();
        byte[] stored = Files.readAllBytes(file);
        stored[stored.length - 10] ^= 1;
        Files.write(file, stored);

        assertThat(cache.find(key)).isEmpty();
        assertThat(file).doesNotExist();
        Files.write(tmp.resolve("stray"), new byte[0]); // a file outside the encoder directories is ignored
        cache.trim();
    }

    @Test
    void trimKeepsTheMostRecentlyUsedBlocksWithinTheLimit() throws IOException {
        BlockCache cache = new BlockCache(tmp, 3 * 1100);
        List<BlockCache.Key> keys = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] data = ("block " + i).getBytes();
            BlockCache.Key key = BlockCache.Key.of(gzip, data, data.length);
            cache.store(key, new byte[1000]);
            keys.add(key);
        }
        // entries 0..4 used long ago, oldest first; then block 0 is used now
        try (Stream<Path> files = Files.walk(tmp)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                int index = -1;
                for (int i = 0; i < keys.size(); i++) {
                    if (file.getFileName().toString().equals(java.util.HexFormat.of()
                            .formatHex(keys.get(i).uncompressedSha256()))) {
                        index = i;
                    }
                }
                Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")
                        .plusSeconds(index)));
            }
        }
        assertThat(cache.find(keys.get(0))).isPresent();
        cache.trim();

        assertThat(cache.find(keys.get(0))).as("used last").isPresent();
        assertThat(cache.find(keys.get(4))).isPresent();
        assertThat(cache.find(keys.get(3))).isPresent();
        assertThat(cache.find(keys.get(1))).as("least recently used").isEmpty();
        assertThat(cache.find(keys.get(2))).isEmpty();
    }

    @Test
    void writersRacingOnOneBlockLeaveOneGoodEntry() throws Exception {
        BlockCache cache = new BlockCache(tmp, 1 << 24);
        byte[] data = TextLikeData.realistic(200_000, 3);
        BlockCache.Key key = BlockCache.Key.of(gzip, data, data.length);
        byte[] compressed = gzip.encode(data, data.length);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                all.add(pool.submit(() -> {
                    cache.store(key, compressed);
                    assertThat(cache.find(key)).hasValue(compressed);
                }));
            }
            for (Future<?> future : all) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(onlyFile()).exists();
    }

    private Path onlyFile() throws IOException {
        try (Stream<Path> files = Files.walk(tmp)) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }
}
