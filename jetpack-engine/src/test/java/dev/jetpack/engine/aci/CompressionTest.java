package dev.jetpack.engine.aci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.JetpackException;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CompressionTest {
    @Test
    void parsesConfigurationNamesCaseInsensitively() {
        assertThat(Compression.parse("XZ")).isEqualTo(Compression.XZ);
        assertThat(Compression.parse(" gzip ")).isEqualTo(Compression.GZIP);
        assertThat(Compression.parse("bzip2")).isEqualTo(Compression.BZIP2);
        assertThat(Compression.parse("None")).isEqualTo(Compression.NONE);
        assertThatThrownBy(() -> Compression.parse("gz")).isInstanceOf(JetpackException.class)
                .hasMessageContainingAll("'gz'", "xz, gzip, bzip2 or none");
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void roundTripsAndIsDetectedFromItsOwnOutput(Compression compression) throws IOException {
        byte[] tar = dev.jetpack.engine.testing.TestTars.tar(HostileArchiveTest::start);
        byte[] compressed = dev.jetpack.engine.testing.TestTars.compress(tar, compression);

        assertThat(Compression.detect(compressed)).isEqualTo(compression);
        BufferedInputStream in = new BufferedInputStream(new ByteArrayInputStream(compressed));
        assertThat(Compression.detect(in)).isEqualTo(compression);
        try (InputStream decompressed = compression.decompress(in)) {
            assertThat(decompressed.readAllBytes()).isEqualTo(tar); // detection consumed nothing
        }
    }

    @Test
    void levelsAreCheckedPerCompression() throws IOException {
        assertThatThrownBy(() -> Compression.BZIP2.compress(new ByteArrayOutputStream(), 0))
                .hasMessageContainingAll("level 0", "bzip2", "1..9");
        assertThatThrownBy(() -> Compression.XZ.compress(new ByteArrayOutputStream(), 10)).hasMessageContaining("0..9");
        assertThat(Compression.XZ.defaultLevel()).isEqualTo(6);
        assertThat(Compression.GZIP.defaultLevel()).isEqualTo(6);
        assertThat(Compression.BZIP2.defaultLevel()).isEqualTo(9);
        byte[] data = new byte[100_000];
        ByteArrayOutputStream fast = new ByteArrayOutputStream();
        try (OutputStream out = Compression.GZIP.compress(fast, 0)) {
            out.write(data); // level 0 stores
        }
        ByteArrayOutputStream best = new ByteArrayOutputStream();
        try (OutputStream out = Compression.GZIP.compress(best, 9)) {
            out.write(data);
        }
        assertThat(fast.size()).isGreaterThan(data.length);
        assertThat(best.size()).isLessThan(1000);
    }

    @Test
    void unknownMagicNamesTheBytesAndTheAcceptedFormats() {
        assertThatThrownBy(() -> Compression.detect(new byte[] {'P', 'K', 3, 4}))
                .isInstanceOf(AciFormatException.class)
                .hasMessageContainingAll("50 4b 03 04", "xz (fd 37 7a 58 5a 00)", "gzip (1f 8b)", "bzip2", "ustar");
    }
}
