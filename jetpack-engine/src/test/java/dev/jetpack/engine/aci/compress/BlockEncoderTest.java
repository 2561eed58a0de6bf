package dev.jetpack.engine.aci.compress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.testing.TextLikeData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gzip blocks: deflated by libdeflate ({@code .ci/run} installs libdeflate0, so its absence fails here rather than
 * quietly measuring zlib), or by zlib; either way members that gzip itself and the JDK decode, alone and
 * concatenated, with the same bytes every time.
 */
class BlockEncoderTest {
    @TempDir
    Path tmp;

    @Test
    void gzipBlocksAreDeflatedByLibdeflateWhereItIsInstalled() {
        assertThat(Libdeflate.unavailableBecause()).as("libdeflate0 is installed by .ci/run").isNull();
        assertThat(BlockEncoder.gzip(6).identity()).startsWith("gzip-6 libdeflate ");
        assertThat(BlockEncoder.gzip(0).identity()).as("stored blocks stay zlib's").startsWith("gzip-0 zlib ");
    }

    @Test
    void libdeflateMembersAreGzipMembersThatGzipDecodes() throws Exception {
        byte[] first = TextLikeData.realistic(1_500_000, 3);
        byte[] second = TextLikeData.realistic(70_000, 4);
        BlockEncoder gzip = BlockEncoder.gzip(6);
        byte[] a = gzip.encode(first, first.length);
        byte[] b = gzip.encode(second, second.length);
        assertThat(gzip.encode(first.clone(), first.length)).as("the same bytes every time").isEqualTo(a);
        assertThat((double) a.length).as("no larger than zlib's member, within a percent")
                .isLessThan(BlockEncoder.gzipMember(first, first.length, 6).length * 1.01);
        assertThat(new byte[] {a[0], a[1], a[2], a[3], a[9]}).as("magic, deflate, no flags, Unix")
                .containsExactly(0x1f, 0x8b, 8, 0, 3);

        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(a);
        both.write(b);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(first);
        expected.write(second);
        assertThat(gunzip(both.toByteArray())).as("gzip -dc").isEqualTo(expected.toByteArray());
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(a))) {
            assertThat(in.readAllBytes()).as("the JDK checks the CRC and ISIZE").isEqualTo(first);
        }
    }

    @Test
    void zlibMembersDecodeLikeLibdeflates() throws Exception {
        byte[] data = TextLikeData.realistic(300_000, 5);
        byte[] member = BlockEncoder.gzipMember(data, data.length, 9);
        assertThat(member[8]).as("XFL of level 9").isEqualTo((byte) 2);
        assertThat(gunzip(member)).isEqualTo(data);
        assertThat(gunzip(BlockEncoder.gzipMember(new byte[0], 0, 6))).isEmpty();
    }

    private byte[] gunzip(byte[] gzip) throws IOException, InterruptedException {
        Path file = Files.write(tmp.resolve("in.gz"), gzip);
        Process process = new ProcessBuilder("gzip", "-dc", file.toString()).redirectErrorStream(false).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as("gzip -dc: " + new String(process.getErrorStream().readAllBytes()))
                .isZero();
        return out;
    }
}
