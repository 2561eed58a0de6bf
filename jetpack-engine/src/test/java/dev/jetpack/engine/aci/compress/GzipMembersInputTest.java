package dev.jetpack.engine.aci.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * A block-compressed gzip image is a series of members; read from a pipe or a socket, the next member's bytes
 * may not have arrived yet when the previous one ends. The reader must wait for them, not take the empty moment
 * for the end (the JDK's GZIPInputStream asks available() and stops).
 */
class GzipMembersInputTest {
    @Test
    void readsEveryMemberOfAStreamThatHasNothingWaitingAtTheBoundaries() throws Exception {
        ByteArrayOutputStream members = new ByteArrayOutputStream();
        for (String part : new String[] {"first member\n", "second member\n", "third member\n"}) {
            try (GZIPOutputStream gzip = new GZIPOutputStream(members)) {
                gzip.write(part.getBytes(StandardCharsets.UTF_8));
            }
        }
        // a pipe whose writer is a little behind: nothing is ever "available" without blocking
        InputStream slowPipe = new FilterInputStream(new ByteArrayInputStream(members.toByteArray())) {
            @Override
            public int available() {
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                return super.read(b, off, Math.min(len, 7)); // short reads, as from a pipe
            }
        };
        try (InputStream in = CompressionStreams.gzipInput(slowPipe)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("first member\nsecond member\nthird member\n");
        }
    }
}
