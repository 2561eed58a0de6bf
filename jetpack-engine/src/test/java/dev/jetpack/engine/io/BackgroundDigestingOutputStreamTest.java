package dev.jetpack.engine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.io.BackgroundDigestingOutputStream.Downstream;
import dev.jetpack.engine.testing.FullDisk;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BackgroundDigestingOutputStreamTest {
    /** Several chunks and a partial one, written in uneven pieces. */
    private static final byte[] DATA = new byte[3 * 256 * 1024 + 12345];

    static {
        new Random(12).nextBytes(DATA);
    }

    /** Remembers the bytes and the threads that wrote them. */
    private static final class RecordingStream extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final Set<Thread> writers = new HashSet<>();
        boolean flushed;
        boolean closed;

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            writers.add(Thread.currentThread());
            bytes.write(b, off, len);
        }

        @Override
        public void flush() {
            flushed = true;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @ParameterizedTest
    @EnumSource(Downstream.class)
    void passesEveryByteOnInOrderAndDigestsThem(Downstream downstream) throws Exception {
        RecordingStream out = new RecordingStream();
        BackgroundDigestingOutputStream stream = new BackgroundDigestingOutputStream(out, downstream);
        for (int offset = 0; offset < DATA.length; ) {
            int length = Math.min(DATA.length - offset, 1 + offset % 70001);
            stream.write(DATA, offset, length);
            offset += length;
        }
        stream.write(7);
        stream.close();

        byte[] expected = new byte[DATA.length + 1];
        System.arraycopy(DATA, 0, expected, 0, DATA.length);
        expected[DATA.length] = 7;
        assertThat(out.bytes.toByteArray()).isEqualTo(expected);
        assertThat(stream.digest()).isEqualTo(MessageDigest.getInstance("SHA-512").digest(expected));
        assertThat(stream.count()).isEqualTo(expected.length);
        assertThat(out.closed).isTrue();
        if (downstream == Downstream.CALLER) {
            assertThat(out.writers).containsExactly(Thread.currentThread());
        } else {
            assertThat(out.writers).hasSize(1).doesNotContain(Thread.currentThread());
            assertThat(out.flushed).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Downstream.class)
    void aFailureDownstreamReachesTheWriter(Downstream downstream) {
        OutputStream failing = new FullDisk();
        BackgroundDigestingOutputStream stream = new BackgroundDigestingOutputStream(failing, downstream);
        assertThatThrownBy(() -> {
            stream.write(DATA);
            stream.close();
        }).isInstanceOf(IOException.class).hasMessageContaining(FullDisk.MESSAGE);
    }
}
