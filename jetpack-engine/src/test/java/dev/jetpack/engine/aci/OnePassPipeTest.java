package dev.jetpack.engine.aci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.testing.TextLikeData;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The writer and the reader each make one pass over the data: an image is written into a named pipe (which cannot
 * seek or be read back) while the reader extracts it from the other end. A temporary tar, a second read to compute
 * the ID or a seek to patch a header would fail here.
 */
class OnePassPipeTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Compression.class)
    void writesIntoAndReadsFromAPipe(Compression compression) throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("tree"));
        Files.createDirectories(tree.resolve("etc"));
        Files.write(tree.resolve("etc/hostname"), "pipe\n".getBytes(StandardCharsets.UTF_8));
        Files.write(tree.resolve("big.bin"), TextLikeData.realistic(700 * 1024 + 7, 1));
        Path fifo = tmp.resolve("image.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0).isTrue();
        byte[] manifest = "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"example.com/pipe\"}"
                .getBytes(StandardCharsets.UTF_8);
        WriterOptions options = WriterOptions.builder().compression(compression)
                .fixedTimestamp(Instant.parse("2026-01-01T00:00:00Z")).threads(2).build();

        CompletableFuture<AciWriter.Result> written = CompletableFuture.supplyAsync(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                return AciWriter.write(manifest, tree, out, options);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        // by path, as a user's "<(curl ...)" or /dev/stdin would be given
        AciReader.Result read = AciReader.extract(fifo, tmp.resolve("out"), ReaderOptions.defaults());
        AciWriter.Result result = written.get(60, TimeUnit.SECONDS);

        assertThat(read.compression()).isEqualTo(compression);
        assertThat(read.id()).isEqualTo(result.id());
        assertThat(read.tarSize()).isEqualTo(result.tarSize());
        assertThat(read.compressedSize()).isEqualTo(result.fileSize());
        assertThat(read.manifestJson()).isEqualTo(manifest);
        assertThat(tmp.resolve("out/big.bin")).hasSameBinaryContentAs(tree.resolve("big.bin"));
        assertThat(tmp.resolve("out/etc/hostname")).hasContent("pipe");
    }
}
