package dev.jetpack.engine.aci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.jetpack.engine.testing.TestTars.compress;
import static dev.jetpack.engine.testing.TestTars.dir;
import static dev.jetpack.engine.testing.TestTars.file;
import static dev.jetpack.engine.testing.TestTars.link;
import static dev.jetpack.engine.testing.TestTars.tar;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Crafted archives that must be refused, naming the entry, leaving nothing behind in or outside the destination. */
class HostileArchiveTest {
    @TempDir
    Path tmp;
    Path outside;
    Path destination;

    @BeforeEach
    void setUp() throws IOException {
        outside = tmp.resolve("outside");
        Files.createDirectories(outside);
        destination = tmp.resolve("work/dest");
    }

    static void start(TarArchiveOutputStream tar) throws IOException {
        file(tar, "manifest", "{}");
        dir(tar, "rootfs/");
    }

    private void assertRejected(byte[] archive, String... messageParts) throws IOException {
        assertRejected(archive, ReaderOptions.defaults(), messageParts);
    }

    private void assertRejected(byte[] archive, ReaderOptions options, String... messageParts)
            throws IOException {
        assertThatThrownBy(() -> AciReader.extract(new ByteArrayInputStream(archive), destination, options))
                .isInstanceOf(AciFormatException.class)
                .hasMessageContainingAll(messageParts);
        assertThat(destination).doesNotExist();
        assertThat(outside).isEmptyDirectory();
        assertThat(tmp.resolve("work/evil")).doesNotExist();
        assertThat(tmp.resolve("evil")).doesNotExist();
        // inspect applies the same rules without writing anything
        assertThatThrownBy(() -> AciReader.inspect(new ByteArrayInputStream(archive), options))
                .isInstanceOf(AciFormatException.class);
    }

    @Test
    void dotDotTraversal() throws IOException {
        assertRejected(tar(t -> {
            start(t);
            file(t, "rootfs/ok", "fine");
            file(t, "rootfs/../../evil", "x");
        }), "rootfs/../../evil", "..");
    }

    @Test
    void absolutePathsInHeaderAndInPaxRecord() throws IOException {
        String abs = outside + "/pwned";
        assertRejected(tar(t -> {
            start(t);
            file(t, abs, "x");
        }), abs, "absolute");
        String longAbs = "/rootfs/" + "x".repeat(120); // too long for the header: goes into a pax path record
        assertRejected(tar(t -> {
            start(t);
            file(t, longAbs, "x");
        }), longAbs, "absolute");
    }

    @Test
    void symlinkThenFileThroughIt() throws IOException {
        assertRejected(tar(t -> {
            start(t);
            link(t, "rootfs/escape", TarConstants.LF_SYMLINK, outside.toString());
            file(t, "rootfs/escape/pwned", "x");
        }), "rootfs/escape/pwned", "parent 'rootfs/escape' is a SYMLINK");
        assertRejected(tar(t -> {
            start(t);
            link(t, "rootfs/up", TarConstants.LF_SYMLINK, "../../outside");
            dir(t, "rootfs/up/sub/");
        }), "rootfs/up/sub", "SYMLINK");
    }

    @Test
    void hardLinkOutOfRootfs() throws IOException {
        assertRejected(tar(t -> {
            start(t);
            link(t, "rootfs/passwd", TarConstants.LF_LINK, "/etc/passwd");
        }), "rootfs/passwd", "absolute");
        assertRejected(tar(t -> {
            start(t);
            link(t, "rootfs/m", TarConstants.LF_LINK, "manifest");
        }), "rootfs/m", "outside rootfs/");
        assertRejected(tar(t -> {
            start(t);
            link(t, "rootfs/later", TarConstants.LF_LINK, "rootfs/not-yet");
            file(t, "rootfs/not-yet", "x");
        }), "rootfs/later", "not an earlier entry");
    }

    @Test
    void rootfsLookalike() throws IOException {
        assertRejected(tar(t -> {
            start(t);
            file(t, "rootfsX/file", "x");
        }), "rootfsX/file", "not part of the ACI layout");
    }

    @Test
    void duplicates() throws IOException {
        assertRejected(tar(t -> {
            start(t);
            file(t, "rootfs/a", "1");
            file(t, "rootfs/a", "2");
        }), "rootfs/a", "duplicate");
        assertRejected(tar(t -> {
            start(t);
            file(t, "./manifest", "again");
        }), "./manifest", "duplicate");
    }

    @Test
    void missingManifest() throws IOException {
        assertRejected(tar(t -> {
            dir(t, "rootfs/");
            file(t, "rootfs/a", "1");
        }), "manifest", "missing");
    }

    @Test
    void devicesWhenNotAllowed() throws IOException {
        byte[] archive = tar(t -> {
            start(t);
            TarArchiveEntry dev = new TarArchiveEntry("rootfs/sda", TarConstants.LF_BLK, true);
            dev.setDevMajor(8);
            dev.setDevMinor(0);
            t.putArchiveEntry(dev);
            t.closeArchiveEntry();
        });
        assertRejected(archive, ReaderOptions.builder().devices(DevicePolicy.NONE).build(), "rootfs/sda",
                "device nodes are not allowed");
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void truncatedStreams(Compression compression) throws IOException {
        byte[] archive = compress(tar(t -> {
            start(t);
            bigRandomFile(t, 200_000, 1);
            file(t, "rootfs/after", "x");
        }), compression);
        // (an uncompressed tar cut only in its zero padding after the end marker is complete, so not cut there)
        int[] cuts = compression == Compression.NONE ? new int[] {archive.length / 2, 1536, 1000}
                : new int[] {archive.length / 2, archive.length - 1, 10};
        for (int cut : cuts) {
            byte[] truncated = Arrays.copyOf(archive, cut);
            assertRejected(truncated, compression == Compression.NONE ? "truncated" : "");
        }
    }

    /** {@code rootfs/big}: incompressible content, so a cut or a flipped byte lands inside real data. */
    private static void bigRandomFile(TarArchiveOutputStream t, int size, long seed) throws IOException {
        byte[] random = new byte[size];
        new java.util.Random(seed).nextBytes(random);
        TarArchiveEntry big = new TarArchiveEntry("rootfs/big", TarConstants.LF_NORMAL, true);
        big.setSize(random.length);
        t.putArchiveEntry(big);
        t.write(random);
        t.closeArchiveEntry();
    }

    @Test
    void uncompressedTarCutAtAHeaderBoundaryIsTruncatedNotShort() throws IOException {
        byte[] archive = tar(t -> {
            start(t);
            file(t, "rootfs/a", "1");
        });
        // manifest header + data block + rootfs header: a clean cut right after a complete entry
        assertRejected(Arrays.copyOf(archive, 512 * 3), "rootfs", "end-of-archive marker");
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void corruptedBytes(Compression compression) throws IOException {
        byte[] archive = compress(tar(t -> {
            start(t);
            bigRandomFile(t, 100_000, 2);
        }), compression);
        byte[] corrupt = archive.clone();
        int at = compression == Compression.NONE ? 1024 + 100 : archive.length / 2; // NONE: inside rootfs/ header
        corrupt[at] ^= 0x55;
        assertRejected(corrupt, compression == Compression.NONE ? "checksum" : "corrupt");
    }

    @Test
    void wrongMagic() throws IOException {
        byte[] zip = {'P', 'K', 3, 4, 20, 0, 0, 0};
        assertRejected(zip, "50 4b 03 04", "xz", "gzip", "bzip2", "ustar");
        assertRejected(new byte[0], "empty");
    }

    @Test
    void totalSizeLimitStopsBombs() throws IOException {
        byte[] archive = compress(tar(t -> {
            start(t);
            for (int i = 0; i < 10; i++) { // each entry below the limit: only the running total exceeds it
                TarArchiveEntry part = new TarArchiveEntry("rootfs/zeros" + i, TarConstants.LF_NORMAL, true);
                part.setSize(100_000);
                t.putArchiveEntry(part);
                t.write(new byte[100_000]);
                t.closeArchiveEntry();
            }
        }), Compression.GZIP);
        assertRejected(archive, ReaderOptions.builder().maxUncompressedBytes(500_000)
                .maxExpansionRatio(1000).build(), "expands to more than"
                + " 500000 bytes");
    }

    @Test
    void expansionRatioLimitStopsBombs() throws IOException {
        long grace = 1024 * 1024;
        long size = grace + 8 * 1024 * 1024;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(Compression.GZIP.compress(out, 9))) {
            start(t);
            TarArchiveEntry big = new TarArchiveEntry("rootfs/zeros", TarConstants.LF_NORMAL, true);
            big.setSize(size);
            t.putArchiveEntry(big);
            InputStream zeros = new ByteArrayInputStream(new byte[1024 * 1024]);
            byte[] chunk = zeros.readAllBytes();
            for (long left = size; left > 0; left -= chunk.length) {
                t.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
            t.closeArchiveEntry();
        }
        assertRejected(out.toByteArray(), ReaderOptions.builder().maxUncompressedBytes(Long.MAX_VALUE)
                .maxExpansionRatio(100).ratioGraceBytes(grace).build(),
                "beyond the limit of 100");
    }

    @Test
    void existingDestinationIsRefusedAndKept() throws IOException {
        Files.createDirectories(destination);
        Files.writeString(destination.resolve("keep"), "mine");
        byte[] archive = tar(HostileArchiveTest::start);
        assertThatThrownBy(() -> AciReader.extract(new ByteArrayInputStream(archive), destination,
                ReaderOptions.defaults())).hasMessageContaining("already exists");
        assertThat(destination.resolve("keep")).hasContent("mine");
    }
}
