package dev.jetpack.engine.aci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.aci.compress.BlockCache;
import dev.jetpack.engine.testing.TestTrees;
import dev.jetpack.engine.testing.TextLikeData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Incremental compression (issue #12 part 2): an ACI is cut into independent blocks at entry boundaries chosen by
 * path and size, blocks come from the cache when they were compressed before, and the bytes are those of a cold
 * write whatever the cache held. Small block sizes make trees of a megabyte or two hold dozens of blocks.
 */
class BlockCompressionTest {
    private static final Instant TIME = Instant.parse("2020-01-01T00:00:00Z");
    private static final BlockSizes SMALL = new BlockSizes(16 * 1024, 32 * 1024, 128 * 1024);
    private static final int BIG_FILE = 400 * 1024;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"GZIP", "BZIP2", "XZ"})
    void aWarmCacheGivesTheBytesOfAColdWriteWhateverItHeld(Compression compression) throws IOException {
        Path a = tree("a");
        Path b = tree("b");
        Files.write(b.resolve("d3/f012"), TextLikeData.realistic(5000, 999));
        Files.write(b.resolve("d0/new-file"), TextLikeData.realistic(9000, 998));
        Files.delete(b.resolve("d7/f005"));
        BlockCache cache = new BlockCache(tmp.resolve("cache"), 1L << 30);

        byte[] cold = write(a, compression, null, 1);
        AciWriter.Result first = lastResult;
        assertThat(first.blocks()).as("blocks in a cold write").isGreaterThan(20);
        assertThat(write(a, compression, cache, 2)).isEqualTo(cold);
        assertThat(lastResult.blocksReused()).isZero();

        write(b, compression, cache, 2);
        assertThat(lastResult.blocksReused()).as("B shares most blocks with A").isGreaterThan(lastResult.blocks() / 2)
                .isLessThan(lastResult.blocks());

        assertThat(write(a, compression, cache, 3)).as("A again, with blocks of A and B in the cache")
                .isEqualTo(cold);
        assertThat(lastResult.blocksReused()).isEqualTo(lastResult.blocks());
        assertThat(lastResult.id()).isEqualTo(first.id());
        assertThat(write(a, Compression.NONE, null, 1)).hasSize((int) first.tarSize());
        assertThat(lastResult.id()).as("the ID is that of the uncompressed tar").isEqualTo(first.id());
    }

    @Test
    void aChangeInOneFileChangesOnlyTheBlocksAroundIt() throws IOException {
        Path tree = tree("t");
        BlockCache cache = new BlockCache(tmp.resolve("cache"), 1L << 30);
        write(tree, Compression.GZIP, cache, 2);
        int blocks = lastResult.blocks();

        Files.write(tree.resolve("d4/f010"), TextLikeData.realistic(Files.readAllBytes(tree.resolve("d4/f010")).length,
                4242)); // same size, other bytes
        write(tree, Compression.GZIP, cache, 2);
        assertThat(compressed()).as("a file changed in place, of " + blocks + " blocks").isEqualTo(1);

        Files.write(tree.resolve("d0/aaa-first"), TextLikeData.realistic(7000, 4343)); // shifts every offset
        write(tree, Compression.GZIP, cache, 2);
        assertThat(compressed()).as("a file added at the start, of " + blocks + " blocks").isBetween(1, 3);

        byte[] grown = TextLikeData.realistic(Files.readAllBytes(tree.resolve("d5/f020")).length + 6000, 4444);
        Files.write(tree.resolve("d5/f020"), grown);
        write(tree, Compression.GZIP, cache, 2);
        assertThat(compressed()).as("a file grown by 6 kB, of " + blocks + " blocks").isBetween(1, 3);

        Files.write(tree.resolve("d0/big"), TextLikeData.realistic(BIG_FILE, 4545));
        write(tree, Compression.GZIP, cache, 2);
        assertThat(compressed()).as("a file larger than a block replaced: its own blocks")
                .isEqualTo((int) Math.ceil((double) BIG_FILE / SMALL.chunk()));
    }

    @ParameterizedTest
    @CsvSource({"GZIP,gzip -dc", "BZIP2,bzip2 -dc", "XZ,xz -dc"})
    void theFormatsOwnToolsPythonAndOurReaderReadEveryBlock(Compression compression, String decompress)
            throws Exception {
        Path tree = tree("t");
        Path aci = tmp.resolve("image.aci");
        Files.write(aci, write(tree, compression, new BlockCache(tmp.resolve("cache"), 1L << 30), 2));
        AciWriter.Result written = lastResult;
        assertThat(written.blocks()).isGreaterThan(20);

        byte[] tar = TestTrees.run("sh", "-c", decompress + " < '" + aci + "'");
        assertThat(tar).isEqualTo(write(tree, Compression.NONE, null, 1));
        assertThat(ImageId.ofDigest(MessageDigest.getInstance("SHA-512").digest(tar))).isEqualTo(written.id());

        Path extracted = tmp.resolve("python");
        String python = new String(TestTrees.run("python3", "-c", "import sys, tarfile\n"
                + "with tarfile.open(sys.argv[1]) as t:\n"
                + "    names = t.getnames()\n"
                + "    t.extractall(sys.argv[2])\n"
                + "print(len(names))", aci.toString(), extracted.toString()), StandardCharsets.UTF_8).strip();
        assertThat(Integer.parseInt(python)).as("entries Python read").isEqualTo(listTar(tar).size());
        assertThat(Files.readAllBytes(extracted.resolve("rootfs/d0/big"))).isEqualTo(
                Files.readAllBytes(tree.resolve("d0/big")));
        assertThat(Files.readAllBytes(extracted.resolve("manifest"))).isEqualTo(TestTrees.MANIFEST);

        AciReader.Result read = AciReader.inspect(aci, ReaderOptions.defaults());
        assertThat(read.id()).isEqualTo(written.id());
        assertThat(read.compression()).isEqualTo(compression);
        if (compression == Compression.XZ) {
            String robot = new String(TestTrees.run("xz", "--robot", "--list", aci.toString()),
                    StandardCharsets.US_ASCII);
            String totals = Arrays.stream(robot.split("\n")).filter(l -> l.startsWith("totals")).findFirst()
                    .orElseThrow();
            assertThat(Integer.parseInt(totals.split("\t")[1])).as("xz streams").isEqualTo(written.blocks());
        }
    }

    @Test
    void aFileLargerThanABlockIsCutFromItsOwnStartWhereverItLies() {
        for (long start : new long[] {0, 512, 7 * 512, 123 * 1024}) {
            List<Long> cuts = new ArrayList<>();
            BlockCutter cutter = new BlockCutter(SMALL, cuts::add);
            cutter.entry("rootfs/big", start, 1024, BIG_FILE, false);
            List<Long> relative = cuts.stream().map(c -> c - start).toList();
            long chunk = SMALL.chunk();
            List<Long> expected = new ArrayList<>();
            if (start > 0) {
                expected.add(0L);
            }
            for (long at = 1024 + chunk; at < 1024 + BIG_FILE; at += chunk) {
                expected.add(at);
            }
            expected.add(1024L + BIG_FILE);
            assertThat(relative).as("cuts after a block of " + start + " bytes").isEqualTo(expected);
        }
    }

    @Test
    void blocksKnownByTheirRecipeAreTakenWithoutHashingAndGiveTheBytesOfAColdWrite() throws Exception {
        Path tree = tree("r");
        settle();
        BlockCache cache = new BlockCache(tmp.resolve("cache"), 1L << 30);
        byte[] cold = write(tree, Compression.GZIP, null, 2);
        assertThat(write(tree, Compression.GZIP, cache, 2)).isEqualTo(cold);
        assertThat(lastResult.blocksRecognised()).as("the first write with the cache hashes every block").isZero();

        assertThat(write(tree, Compression.GZIP, cache, 2)).isEqualTo(cold);
        // All but the manifest's block and the last one (which holds the end of the archive) are described.
        assertThat(lastResult.blocksRecognised()).isEqualTo(lastResult.blocks() - 2);
        assertThat(lastResult.blocksReused()).isEqualTo(lastResult.blocks());

        // Rewritten in place to the same size with its old mtime put back: the description is the same, the CRC
        // of the bytes is not, so the block is hashed (and its description now stands for the new bytes).
        Path file = tree.resolve("d4/f010");
        java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(file);
        Files.write(file, TextLikeData.realistic(Files.readAllBytes(file).length, 4242));
        Files.setLastModifiedTime(file, mtime);
        byte[] changedCold = write(tree, Compression.GZIP, null, 2);
        assertThat(changedCold).isNotEqualTo(cold);
        assertThat(write(tree, Compression.GZIP, cache, 2)).isEqualTo(changedCold);
        assertThat(lastResult.blocksRecognised()).isEqualTo(lastResult.blocks() - 3);
        assertThat(write(tree, Compression.GZIP, cache, 2)).isEqualTo(changedCold);
        assertThat(lastResult.blocksRecognised()).isEqualTo(lastResult.blocks() - 2);

        // Modified just now: not described until its mtime is older than the settling time.
        Files.write(tree.resolve("d6/f001"), TextLikeData.realistic(3000, 4343));
        byte[] recent = write(tree, Compression.GZIP, cache, 2);
        assertThat(recent).isEqualTo(write(tree, Compression.GZIP, null, 2));
        write(tree, Compression.GZIP, cache, 2);
        assertThat(lastResult.blocksRecognised()).isEqualTo(lastResult.blocks() - 3);
        settle();
        write(tree, Compression.GZIP, cache, 2);
        write(tree, Compression.GZIP, cache, 2);
        assertThat(lastResult.blocksRecognised()).isEqualTo(lastResult.blocks() - 2);
    }

    /** Lets the tree's modification times fall behind the settling time of {@link BlockRecipes}. */
    private static void settle() throws InterruptedException {
        Thread.sleep(BlockRecipes.SETTLING.toMillis() + 100);
    }

    @Test
    void candidatesDependOnThePathAndAreSpreadEvenly() {
        assertThat(BlockCutter.chance("rootfs/etc/motd")).isEqualTo(BlockCutter.chance("rootfs/etc/motd"));
        int below = 0;
        for (int i = 0; i < 10_000; i++) {
            double chance = BlockCutter.chance("rootfs/usr/share/doc/p" + i + "/copyright");
            assertThat(chance).isBetween(0.0, 1.0).isNotEqualTo(1.0);
            below += chance < 0.25 ? 1 : 0;
        }
        assertThat(below).isBetween(2300, 2700);
    }

    private AciWriter.Result lastResult;

    private int compressed() {
        return lastResult.blocks() - lastResult.blocksReused();
    }

    private byte[] write(Path tree, Compression compression, BlockCache cache, int threads) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        lastResult = AciWriter.write(TestTrees.MANIFEST, tree, out, WriterOptions.builder().compression(compression)
                .fixedTimestamp(TIME).ownership(Ownership.ROOT).threads(threads).blockSizes(SMALL)
                .blockCache(cache).build());
        return out.toByteArray();
    }

    /** About 1.3 MB: 10 directories of 25 text-like files of 1–9 kB, and one file larger than a block. */
    private Path tree(String name) throws IOException {
        Path root = tmp.resolve(name);
        for (int d = 0; d < 10; d++) {
            Path dir = Files.createDirectories(root.resolve("d" + d));
            for (int f = 0; f < 25; f++) {
                int seed = d * 100 + f;
                Files.write(dir.resolve(String.format("f%03d", f)), TextLikeData.realistic(1000 + seed * 37 % 8000,
                        seed));
            }
        }
        Files.write(root.resolve("d0/big"), TextLikeData.realistic(BIG_FILE, 77));
        return root;
    }

    private static List<String> listTar(byte[] tar) throws IOException {
        List<String> names = new ArrayList<>();
        TarReader reader = new TarReader(new ByteArrayInputStream(tar));
        TarEntry entry;
        while ((entry = reader.next()) != null) {
            names.add(entry.name());
        }
        return names;
    }
}
