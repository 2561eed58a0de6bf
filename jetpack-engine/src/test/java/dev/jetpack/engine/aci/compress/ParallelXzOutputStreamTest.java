package dev.jetpack.engine.aci.compress;

import static dev.jetpack.engine.aci.CompressionTestData.compress;
import static dev.jetpack.engine.aci.CompressionTestData.readAll;
import static dev.jetpack.engine.aci.CompressionTestData.run;
import static dev.jetpack.engine.testing.TextLikeData.realistic;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.SingleXZInputStream;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

class ParallelXzOutputStreamTest {
    /** Level 0 has a 256 KiB dictionary, so blocks are the 1 MiB minimum and a few MB give several blocks. */
    private static final int LEVEL = 0;
    private static final int BLOCK = 1024 * 1024;

    @TempDir
    Path tmp;

    @Test
    void blockSizeIsThreeDictionariesWithAOneMebibyteFloor() throws Exception {
        assertThat(ParallelXzOutputStream.blockSize(new LZMA2Options(0))).isEqualTo(BLOCK);
        assertThat(ParallelXzOutputStream.blockSize(new LZMA2Options(6))).isEqualTo(24 * 1024 * 1024);
    }

    @Test
    void dictionaryPropertyIsTheSmallestSizeThatFits() {
        assertThat(ParallelXzOutputStream.dictionaryProperty(4096)).isZero();
        assertThat(ParallelXzOutputStream.dictionaryProperty(8 * 1024 * 1024)).isEqualTo(22); // 2 << 22
        assertThat(ParallelXzOutputStream.dictionaryProperty(12 * 1024 * 1024)).isEqualTo(23); // 3 << 22
        assertThat(ParallelXzOutputStream.dictionaryProperty(12 * 1024 * 1024 + 1)).isEqualTo(24);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, BLOCK, BLOCK + 1})
    void decodesWithXzCliAndBothXzJavaReaders(int size) throws Exception {
        byte[] data = realistic(size, size);
        byte[] xz = compress(data, out -> new ParallelXzOutputStream(out, LEVEL, 3));

        assertThat(readAll(new XZInputStream(new ByteArrayInputStream(xz)))).isEqualTo(data);
        assertThat(readAll(new SingleXZInputStream(new ByteArrayInputStream(xz)))).isEqualTo(data);
        assertThat(run(tmp, xz, "xz", "-dc")).isEqualTo(data);
    }

    @Test
    void writesOneStreamWithOneBlockPerBlockOfInput() throws Exception {
        byte[] data = realistic(2 * BLOCK + 10, 5);
        byte[] xz = compress(data, out -> new ParallelXzOutputStream(out, LEVEL, 2));
        Path file = tmp.resolve("three-blocks.xz");
        java.nio.file.Files.write(file, xz);
        String listing = new String(run(tmp, new byte[0], "xz", "--robot", "-lv", file.toString()),
                StandardCharsets.UTF_8);

        // robot format: "totals" streams blocks ...; exactly one stream, three blocks, CRC32 check
        String totals = listing.lines().filter(line -> line.startsWith("totals")).findFirst().orElseThrow();
        String[] fields = totals.split("\t");
        assertThat(fields[1]).as("streams").isEqualTo("1");
        assertThat(fields[2]).as("blocks").isEqualTo("3");
        assertThat(fields[6]).as("check").isEqualTo("CRC32");
    }

    @Test
    void largeInputStaysWithinTwoPercentOfOneThreadedXz() throws Exception {
        // level 0: 256 KiB dictionary, 1 MiB blocks: three blocks
        byte[] data = realistic(2 * BLOCK + 12345, 11);
        byte[] parallel = compress(data, out -> new ParallelXzOutputStream(out, LEVEL, 2));
        ByteArrayOutputStream single = new ByteArrayOutputStream();
        try (XZOutputStream out = new XZOutputStream(single, new LZMA2Options(LEVEL))) {
            out.write(data);
        }

        assertThat(readAll(new SingleXZInputStream(new ByteArrayInputStream(parallel)))).isEqualTo(data);
        assertThat(run(tmp, parallel, "xz", "-dc")).isEqualTo(data);
        assertThat((double) parallel.length).isLessThanOrEqualTo(single.size() * 1.02);
    }

    @Test
    void outputDoesNotDependOnTheNumberOfThreads() throws Exception {
        byte[] data = realistic(2 * BLOCK + 99, 13);
        byte[] one = compress(data, out -> new ParallelXzOutputStream(out, LEVEL, 1));
        byte[] three = compress(data, out -> new ParallelXzOutputStream(out, LEVEL, 3));
        assertThat(three).isEqualTo(one);
    }

    @Test
    void emptyInputIsAnEmptyStreamLikeXzWrites() throws Exception {
        byte[] ours = compress(new byte[0], out -> new ParallelXzOutputStream(out, 6, 2));
        byte[] theirs = run(tmp, new byte[0], "xz", "-6", "-C", "crc32", "-c");
        assertThat(ours).isEqualTo(theirs);
    }
}
