package dev.jetpack.engine.aci.compress;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * xz compressed by the system's {@code xz} program ({@code xz -T<threads> -<level> -c}): the data written here goes
 * to its stdin, and a pump thread copies its stdout to the target. Native xz is about 1.25 times as fast as xz-java
 * on the same machine, and multi-threaded xz writes one .xz stream of independent blocks, which every xz reader
 * decodes.
 *
 * <p>Use {@link #find()} to learn whether a usable {@code xz} exists; {@link CompressionStreams#xzOutput} falls
 * back to {@link ParallelXzOutputStream} otherwise.
 */
final class SystemXzOutputStream extends AbortableOutputStream {
    private static final int BUFFER = 256 * 1024;
    private static volatile Optional<Path> found;

    private final Process process;
    private final OutputStream stdin;
    private final Thread pump;
    private final Thread stderrReader;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final OutputStream out;
    private volatile IOException pumpFailure;
    private boolean closed;

    /**
     * Starts {@code xz}.
     *
     * @param xz      the program, as returned by {@link #find()}
     * @param out     receives the .xz stream; closed by {@link #close()}
     * @param level   xz preset 0..9
     * @param threads threads for xz's {@code -T}, at least 1
     */
    SystemXzOutputStream(Path xz, OutputStream out, int level, int threads) throws IOException {
        if (level < 0 || level > 9 || threads < 1) {
            throw new IllegalArgumentException("xz level must be 0..9 and threads at least 1");
        }
        this.out = Objects.requireNonNull(out, "out");
        ProcessBuilder builder = new ProcessBuilder(xz.toString(), "-T" + threads, "-" + level, "-c", "-q")
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.PIPE);
        builder.environment().remove("XZ_DEFAULTS"); // the user's defaults must not change the image format
        builder.environment().remove("XZ_OPT");
        process = builder.start();
        stdin = new BufferedOutputStream(process.getOutputStream(), BUFFER);
        pump = new Thread(this::pumpStdout, "xz-stdout");
        pump.setDaemon(true);
        pump.start();
        stderrReader = new Thread(() -> copyQuietly(process.getErrorStream(), stderr), "xz-stderr");
        stderrReader.setDaemon(true);
        stderrReader.start();
    }

    /** The {@code xz} program on the PATH if it runs ({@code xz --version} succeeds); looked up once. */
    static Optional<Path> find() {
        Optional<Path> result = found;
        if (result == null) {
            result = HostPrograms.find("xz", "XZ Utils", "--version");
            found = result;
        }
        return result;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        checkUsable();
        try {
            stdin.write(b, off, len);
        } catch (IOException e) {
            throw failure("writing to xz failed", e);
        }
    }

    /** Passes buffered data on to xz; compressed output appears when xz has a block ready. */
    @Override
    public void flush() throws IOException {
        checkUsable();
        stdin.flush();
    }

    /** Ends xz's input, waits for all of its output and checks its exit status; closes the target. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            try {
                stdin.close();
            } catch (IOException e) {
                throw failure("writing to xz failed", e);
            }
            join(pump);
            join(stderrReader);
            int status = process.waitFor();
            if (pumpFailure != null) {
                throw pumpFailure;
            }
            if (status != 0) {
                throw new IOException("xz exited with status " + status + ": " + stderrText());
            }
            out.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for xz");
        } finally {
            process.destroyForcibly();
            out.close();
        }
    }

    @Override
    public void abort() {
        closed = true;
        process.destroyForcibly();
    }

    private void pumpStdout() {
        byte[] buffer = new byte[BUFFER];
        try (InputStream from = process.getInputStream()) {
            int n;
            while ((n = from.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            pumpFailure = e;
            process.destroyForcibly(); // the target failed: stop xz so the writer sees it at once
        }
    }

    private void checkUsable() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (pumpFailure != null) {
            throw pumpFailure;
        }
    }

    private IOException failure(String what, IOException cause) {
        if (pumpFailure != null) {
            return pumpFailure;
        }
        return new IOException(what + " (" + cause.getMessage() + "); xz said: " + stderrText(), cause);
    }

    private String stderrText() {
        synchronized (stderr) {
            String text = stderr.toString(StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? "(nothing)" : text;
        }
    }

    private static void join(Thread thread) throws InterruptedException {
        thread.join();
    }

    private static void copyQuietly(InputStream in, ByteArrayOutputStream sink) {
        byte[] buffer = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (sink) {
                    if (sink.size() < 64 * 1024) {
                        sink.write(buffer, 0, n);
                    }
                }
            }
        } catch (IOException e) {
            // stderr is only for the error message; losing it loses nothing else
        }
    }
}
