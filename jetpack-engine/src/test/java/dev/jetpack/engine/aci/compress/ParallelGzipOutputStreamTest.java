package dev.jetpack.engine.aci.compress;

import static dev.jetpack.engine.aci.CompressionTestData.compress;
import static dev.jetpack.engine.aci.CompressionTestData.readAll;
import static dev.jetpack.engine.aci.CompressionTestData.run;
import static dev.jetpack.engine.testing.TextLikeData.realistic;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParallelGzipOutputStreamTest {
    private static final int BLOCK = ParallelGzipOutputStream.BLOCK_SIZE;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK, 3 * BLOCK + 17})
    void decodesWithJavaGzipAndPigzCli(int size) throws Exception {
        byte[] data = realistic(size, size);
        byte[] gz = compress(data, out -> new ParallelGzipOutputStream(out, 6, 3));

        assertThat(readAll(new GZIPInputStream(new ByteArrayInputStream(gz)))).isEqualTo(data);
        assertThat(run(tmp, gz, "gzip", "-dc")).isEqualTo(data);
        assertThat(run(tmp, gz, "pigz", "-dc")).isEqualTo(data);
    }

    @Test
    void decodesAtEveryLevel() throws Exception {
        byte[] data = realistic(2 * BLOCK + 5, 7);
        for (int level = 0; level <= 9; level++) {
            int chosen = level;
            byte[] gz = compress(data, out -> new ParallelGzipOutputStream(out, chosen, 2));
            assertThat(run(tmp, gz, "gzip", "-dc")).as("level %d", level).isEqualTo(data);
        }
    }

    @Test
    void largeInputDecodesAndStaysWithinTwoPercentOfOneThreadedGzip() throws Exception {
        byte[] data = realistic(6 * 1024 * 1024 + 123, 42);
        byte[] gz = compress(data, out -> new ParallelGzipOutputStream(out, 6, 2));
        ByteArrayOutputStream single = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(single) {
            {
                def.setLevel(6);
            }
        }) {
            out.write(data);
        }

        assertThat(readAll(new GZIPInputStream(new ByteArrayInputStream(gz)))).isEqualTo(data);
        assertThat(run(tmp, gz, "gzip", "-dc")).isEqualTo(data);
        assertThat((double) gz.length).isLessThanOrEqualTo(single.size() * 1.02);
    }

    @Test
    void outputDoesNotDependOnTheNumberOfThreads() throws Exception {
        byte[] data = realistic(5 * BLOCK + 3, 3);
        byte[] one = compress(data, out -> new ParallelGzipOutputStream(out, 6, 1));
        byte[] four = compress(data, out -> new ParallelGzipOutputStream(out, 6, 4));
        assertThat(four).isEqualTo(one);
    }

    @Test
    void trailerHoldsTheCrcAndSize() throws Exception {
        byte[] data = realistic(BLOCK + 1000, 9);
        byte[] gz = compress(data, out -> new ParallelGzipOutputStream(out, 6, 2));
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(data);
        long storedCrc = littleEndian(gz, gz.length - 8);
        long storedSize = littleEndian(gz, gz.length - 4);
        assertThat(storedCrc).isEqualTo(crc.getValue());
        assertThat(storedSize).isEqualTo(data.length);
    }

    private static long littleEndian(byte[] b, int offset) {
        return (b[offset] & 0xffL) | (b[offset + 1] & 0xffL) << 8 | (b[offset + 2] & 0xffL) << 16
                | (b[offset + 3] & 0xffL) << 24;
    }
}
