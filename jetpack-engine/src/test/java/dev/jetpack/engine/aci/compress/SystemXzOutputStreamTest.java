package dev.jetpack.engine.aci.compress;

import static dev.jetpack.engine.aci.CompressionTestData.compress;
import static dev.jetpack.engine.aci.CompressionTestData.readAll;
import static dev.jetpack.engine.testing.TextLikeData.realistic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.testing.FullDisk;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tukaani.xz.SingleXZInputStream;
import org.tukaani.xz.XZInputStream;

class SystemXzOutputStreamTest {
    private static Path xz() {
        return SystemXzOutputStream.find().orElseThrow(() -> new AssertionError("xz is installed on build hosts"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 1024 * 1024 + 3})
    void decodesWithBothXzJavaReaders(int size) throws Exception {
        byte[] data = realistic(size, size);
        byte[] compressed = compress(data, out -> new SystemXzOutputStream(xz(), out, 1, 2));
        assertThat(readAll(new XZInputStream(new ByteArrayInputStream(compressed)))).isEqualTo(data);
        assertThat(readAll(new SingleXZInputStream(new ByteArrayInputStream(compressed)))).isEqualTo(data);
    }

    @Test
    void compressionXzUsesTheSystemXzWhenInstalled() throws Exception {
        OutputStream stream = Compression.XZ.compress(new ByteArrayOutputStream(), -1, 2);
        try {
            assertThat(stream).isInstanceOf(SystemXzOutputStream.class);
        } finally {
            ((AbortableOutputStream) stream).abort();
        }
    }

    @Test
    void aFailingProgramIsReportedWithItsStatus() throws Exception {
        SystemXzOutputStream stream = new SystemXzOutputStream(Path.of("/bin/false"), new ByteArrayOutputStream(),
                6, 1);
        assertThatThrownBy(stream::close).isInstanceOf(IOException.class).hasMessageContaining("status 1");
    }

    @Test
    void aFailingTargetIsReportedToTheWriter() throws Exception {
        OutputStream broken = new FullDisk();
        SystemXzOutputStream stream = new SystemXzOutputStream(xz(), broken, 0, 1);
        assertThatThrownBy(() -> {
            byte[] data = realistic(4 * 1024 * 1024, 1);
            for (int i = 0; i < 8; i++) {
                stream.write(data);
            }
            stream.close();
        }).isInstanceOf(IOException.class).hasMessageContaining(FullDisk.MESSAGE);
        stream.abort();
    }
}
