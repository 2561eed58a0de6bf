package dev.jetpack.engine.aci;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Compressing test input in uneven writes, and running the command-line compressors on it. */
public final class CompressionTestData {
    private CompressionTestData() {
    }

    public static byte[] compress(byte[] data, OutputStreamFactory factory) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = factory.open(sink)) {
            // uneven write sizes, so block boundaries fall inside writes
            int offset = 0;
            int step = 1;
            while (offset < data.length) {
                int n = Math.min(step, data.length - offset);
                out.write(data, offset, n);
                offset += n;
                step = step * 7 % 100_003 + 1;
            }
        }
        return sink.toByteArray();
    }

    /** Runs a command with {@code input} as a file argument's content on stdin and returns its stdout. */
    public static byte[] run(Path dir, byte[] input, String... command) throws IOException, InterruptedException {
        Path in = Files.createTempFile(dir, "in", ".bin");
        Path out = Files.createTempFile(dir, "out", ".bin");
        Files.write(in, input);
        Process process = new ProcessBuilder(List.of(command)).redirectInput(in.toFile())
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed");
        }
        return Files.readAllBytes(out);
    }

    public static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    @FunctionalInterface
    public interface OutputStreamFactory {
        OutputStream open(OutputStream target) throws IOException;
    }
}
