package dev.jetpack.engine.aci;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Deterministic test input that compresses like real files (text with some binary), and CLI helpers. */
public final class CompressionTestData {
    private CompressionTestData() {
    }

    /** {@code size} bytes: words from a fixed vocabulary, with a stretch of random bytes now and then. */
    public static byte[] realistic(int size, long seed) {
        Random random = new Random(seed);
        String[] words = new String[3000];
        for (int i = 0; i < words.length; i++) {
            StringBuilder word = new StringBuilder();
            int length = 2 + random.nextInt(9);
            for (int j = 0; j < length; j++) {
                word.append((char) ('a' + random.nextInt(26)));
            }
            words[i] = word.toString();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 1024);
        while (out.size() < size) {
            if (random.nextInt(200) == 0) {
                byte[] noise = new byte[256 + random.nextInt(4096)];
                random.nextBytes(noise);
                out.writeBytes(noise);
            } else {
                String word = words[(int) Math.min(words.length - 1, Math.abs(random.nextGaussian()) * 500)];
                out.writeBytes((word + (random.nextInt(12) == 0 ? "\n" : " ")).getBytes(StandardCharsets.US_ASCII));
            }
        }
        byte[] all = out.toByteArray();
        return java.util.Arrays.copyOf(all, size);
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
