package dev.jetpack.engine.aci.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParallelBlockOutputStreamTest {
    /** "Compresses" by copying, and records how many blocks were handed out but not yet written. */
    private static class Recording extends ParallelBlockOutputStream<byte[]> {
        final AtomicInteger inFlight = new AtomicInteger();
        int maxInFlight;
        final List<Integer> blockSizes = new ArrayList<>();
        final List<Boolean> lastFlags = new ArrayList<>();
        final long workMillis;

        Recording(OutputStream out, int blockSize, int threads, long workMillis) {
            super(out, blockSize, threads, "test");
            this.workMillis = workMillis;
        }

        @Override
        protected void writeHeader(OutputStream out) throws IOException {
            out.write('[');
        }

        @Override
        protected Callable<byte[]> compressTask(byte[] data, int length, boolean last) {
            maxInFlight = Math.max(maxInFlight, inFlight.incrementAndGet());
            blockSizes.add(length);
            lastFlags.add(last);
            return () -> {
                Thread.sleep(workMillis);
                return Arrays.copyOf(data, length);
            };
        }

        @Override
        protected void writeBlock(byte[] result, OutputStream out) throws IOException {
            inFlight.decrementAndGet();
            out.write(result);
        }

        @Override
        protected void writeTrailer(OutputStream out) throws IOException {
            out.write(']');
        }
    }

    @Test
    void atMostTwoBlocksPerThreadAreInFlightAndOrderIsKept() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        Recording stream = new Recording(sink, 10, 2, 2);
        byte[] data = new byte[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        stream.write(data);
        stream.close();

        assertThat(stream.maxInFlight).isLessThanOrEqualTo(4); // 2 threads × 2
        byte[] written = sink.toByteArray();
        assertThat(written[0]).isEqualTo((byte) '[');
        assertThat(written[written.length - 1]).isEqualTo((byte) ']');
        assertThat(Arrays.copyOfRange(written, 1, written.length - 1)).isEqualTo(data);
    }

    @Test
    void onlyTheTrueEndIsTheLastBlockEvenAtAnExactBoundary() throws IOException {
        Recording stream = new Recording(new ByteArrayOutputStream(), 10, 1, 0);
        stream.write(new byte[30]);
        stream.close();
        assertThat(stream.blockSizes).containsExactly(10, 10, 10);
        assertThat(stream.lastFlags).containsExactly(false, false, true);
    }

    @Test
    void emptyInputGivesOneEmptyLastBlock() throws IOException {
        Recording stream = new Recording(new ByteArrayOutputStream(), 10, 1, 0);
        stream.close();
        assertThat(stream.blockSizes).containsExactly(0);
        assertThat(stream.lastFlags).containsExactly(true);
    }

    @Test
    void aWorkerFailureReachesTheWriter() {
        ParallelBlockOutputStream<byte[]> failing = new Recording(new ByteArrayOutputStream(), 4, 1, 0) {
            @Override
            protected Callable<byte[]> compressTask(byte[] data, int length, boolean last) {
                return () -> {
                    throw new IOException("encoder broke");
                };
            }
        };
        assertThatThrownBy(() -> {
            failing.write(new byte[100]);
            failing.close();
        }).isInstanceOf(IOException.class).hasMessageContaining("encoder broke");
    }

    @Test
    void abortStopsTheStream() throws IOException {
        Recording stream = new Recording(new ByteArrayOutputStream(), 10, 2, 50);
        stream.write(new byte[35]);
        stream.abort();
        assertThatThrownBy(() -> stream.write(1)).isInstanceOf(IOException.class);
        stream.close(); // a no-op after abort
    }
}
