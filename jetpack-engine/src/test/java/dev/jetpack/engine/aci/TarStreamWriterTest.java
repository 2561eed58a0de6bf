package dev.jetpack.engine.aci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;

/**
 * TarStreamWriter encodes its headers itself: the bytes must be those commons-compress writes for the same entries
 * (how the writer made them before, so that archives and the block cache stay as they were), and what tar readers
 * accept. The reference below writes each planned entry through commons-compress as the writer did.
 */
class TarStreamWriterTest {
    private static final Instant MTIME = Instant.ofEpochSecond(1_700_000_000L);

    @Test
    void everyKindOfEntryIsEncodedAsCommonsCompressEncodesIt() throws IOException {
        List<Item> items = new ArrayList<>();
        for (int size : new int[] {0, 1, 511, 512, 513, 10240, 70000}) {
            items.add(file("rootfs/file-" + size, size, MTIME));
        }
        items.add(entry("rootfs", TarEntry.Type.DIRECTORY, 0755, 0, 0, "", 0, 0, Map.of()));
        items.add(entry("rootfs/bin", TarEntry.Type.SYMLINK, 0777, 0, 0, "usr/bin", 0, 0, Map.of()));
        items.add(entry("rootfs/far", TarEntry.Type.SYMLINK, 0777, 0, 0, "/" + "t".repeat(150), 0, 0, Map.of()));
        items.add(entry("rootfs/again", TarEntry.Type.HARDLINK, 0644, 0, 0, "rootfs/file-1", 0, 0, Map.of()));
        items.add(entry("rootfs/dev/null", TarEntry.Type.CHAR_DEVICE, 0666, 0, 0, "", 1, 3, Map.of()));
        items.add(entry("rootfs/dev/sda", TarEntry.Type.BLOCK_DEVICE, 0660, 0, 6, "", 8, 0, Map.of()));
        items.add(entry("rootfs/dev/big", TarEntry.Type.CHAR_DEVICE, 0600, 0, 0, "", 4095, 1 << 20, Map.of()));
        items.add(entry("rootfs/fifo", TarEntry.Type.FIFO, 01644, 0, 0, "", 0, 0, Map.of()));
        items.add(entry("rootfs/suid", TarEntry.Type.FILE, 04755, 0, 0, "", 0, 0, Map.of()));
        items.add(entry("rootfs/nobody", TarEntry.Type.DIRECTORY, 0700, 4294967294L, 65534, "", 0, 0, Map.of()));
        items.add(entry("rootfs/capable", TarEntry.Type.FILE, 0755, 0, 0, "", 0, 0,
                Map.of("security.capability", new byte[] {1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                        "user.note", "a b=c\n".getBytes(StandardCharsets.UTF_8))));
        items.add(file("rootfs/old", 3, Instant.ofEpochSecond(-86_400)));
        items.add(file("rootfs/future", 3, Instant.ofEpochSecond(1L << 40)));
        items.add(file("rootfs/fraction", 3, Instant.ofEpochSecond(1_700_000_000L, 999_999_999)));
        // Names at and around the 100-byte field, with characters of 1 to 4 UTF-8 bytes across the cut.
        for (String unit : new String[] {"a", "é", "€", "😀"}) {
            for (int length = 90; length <= 110; length++) {
                StringBuilder name = new StringBuilder("rootfs/");
                while (name.toString().getBytes(StandardCharsets.UTF_8).length < length) {
                    name.append(unit);
                }
                items.add(file(name.toString(), 2, MTIME));
                items.add(entry(name + "-dir", TarEntry.Type.DIRECTORY, 0755, 0, 0, "", 0, 0, Map.of()));
            }
        }
        items.add(file("rootfs/" + "deep/".repeat(60) + "leaf", 5, MTIME));

        assertSameBytes(written(items), reference(items));
    }

    /** Names the first record that differs (a whole-array message would be megabytes of numbers). */
    private static void assertSameBytes(byte[] ours, byte[] theirs) {
        int first = Arrays.mismatch(ours, theirs);
        if (first >= 0) {
            int record = first / 512 * 512;
            assertThat(new String(Arrays.copyOfRange(ours, record, Math.min(ours.length, record + 512)),
                    StandardCharsets.ISO_8859_1))
                    .as("the record at %d (first difference at byte %d; lengths %d and %d)", record, first,
                            ours.length, theirs.length)
                    .isEqualTo(new String(Arrays.copyOfRange(theirs, record, Math.min(theirs.length, record + 512)),
                            StandardCharsets.ISO_8859_1));
            assertThat(ours.length).isEqualTo(theirs.length);
        }
    }

    @Test
    void aSizeBeyondElevenOctalDigitsIsWrittenInBase256AsCommonsCompressWritesIt() throws IOException {
        long size = 077777777777L + 1; // 8 GiB: the header's octal field ends at 8 GiB - 1
        List<Item> items = List.of(file("rootfs/huge", size, MTIME), file("rootfs/after", 1, MTIME));
        HeadAndTail ours = new HeadAndTail();
        try (TarStreamWriter tar = new TarStreamWriter(ours)) {
            for (Item item : items) {
                tar.write(item.entry(), item.content());
            }
        }
        HeadAndTail theirs = new HeadAndTail();
        writeReference(items, theirs);
        assertThat(ours.count).isEqualTo(theirs.count);
        assertThat(ours.head.toByteArray()).isEqualTo(theirs.head.toByteArray());
        assertThat(ours.tail()).isEqualTo(theirs.tail());
    }

    private record Item(TarEntry entry, long contentSize) {
        InputStream content() {
            if (entry.type() != TarEntry.Type.FILE) {
                return null;
            }
            return new InputStream() {
                private final Random random = new Random(entry.name().hashCode());
                private long left = contentSize;

                @Override
                public int read() {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (left == 0) {
                        return -1;
                    }
                    int n = (int) Math.min(len, left);
                    if (contentSize < 1 << 20) {
                        byte[] bytes = new byte[n];
                        random.nextBytes(bytes);
                        System.arraycopy(bytes, 0, b, off, n);
                    } else {
                        Arrays.fill(b, off, off + n, (byte) 0);
                    }
                    left -= n;
                    return n;
                }
            };
        }
    }

    private static Item file(String name, long size, Instant mtime) {
        return new Item(new TarEntry(name, TarEntry.Type.FILE, 0644, 1000, 1000, size, mtime, "", 0, 0, Map.of()),
                size);
    }

    private static Item entry(String name, TarEntry.Type type, int mode, long uid, long gid, String link, int major,
                              int minor, Map<String, byte[]> xattrs) {
        return new Item(new TarEntry(name, type, mode, uid, gid, 0, MTIME, link, major, minor, xattrs), 0);
    }

    private static byte[] written(List<Item> items) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarStreamWriter tar = new TarStreamWriter(out)) {
            for (Item item : items) {
                tar.write(item.entry(), item.content());
            }
        }
        return out.toByteArray();
    }

    private static byte[] reference(List<Item> items) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeReference(items, out);
        return out.toByteArray();
    }

    /** The entries as TarStreamWriter wrote them through commons-compress: its plan, commons-compress's headers. */
    private static void writeReference(List<Item> items, OutputStream out) throws IOException {
        TarStreamWriter planner = new TarStreamWriter(OutputStream.nullOutputStream());
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out, 10240, "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_TRUNCATE);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
            for (Item item : items) {
                TarStreamWriter.EntryPlan plan = planner.plan(item.entry());
                TarEntry entry = item.entry();
                if (plan.paxData() != null) {
                    StringBuilder paxName = new StringBuilder("PaxHeaders/");
                    plan.tarName().codePoints().forEach(c -> paxName.append(c < 0x80 ? (char) c : '_'));
                    String name = paxName.length() > 99 ? paxName.substring(0, 99) : paxName.toString();
                    TarArchiveEntry pax = new TarArchiveEntry(name, TarConstants.LF_PAX_EXTENDED_HEADER_LC, true);
                    pax.setUserName("");
                    pax.setGroupName("");
                    pax.setMode(0644);
                    pax.setModTime(plan.headerSeconds() * 1000);
                    pax.setSize(plan.paxData().length);
                    tar.putArchiveEntry(pax);
                    tar.write(plan.paxData());
                    tar.closeArchiveEntry();
                }
                TarArchiveEntry header = new TarArchiveEntry(plan.tarName(), typeFlag(entry.type()), true);
                header.setUserName("");
                header.setGroupName("");
                header.setMode(entry.mode() & 07777);
                header.setUserId(Math.max(0, Math.min(entry.uid(), 07777777L)));
                header.setGroupId(Math.max(0, Math.min(entry.gid(), 07777777L)));
                header.setModTime(plan.headerSeconds() * 1000);
                header.setSize(entry.type() == TarEntry.Type.FILE ? entry.size() : 0);
                if (!entry.linkName().isEmpty()) {
                    header.setLinkName(entry.linkName());
                }
                if (entry.type() == TarEntry.Type.CHAR_DEVICE || entry.type() == TarEntry.Type.BLOCK_DEVICE) {
                    header.setDevMajor((int) Math.min(entry.devMajor(), 07777777L));
                    header.setDevMinor((int) Math.min(entry.devMinor(), 07777777L));
                }
                tar.putArchiveEntry(header);
                InputStream content = item.content();
                if (content != null) {
                    content.transferTo(tar);
                }
                tar.closeArchiveEntry();
            }
        }
    }

    private static byte typeFlag(TarEntry.Type type) {
        return switch (type) {
            case FILE -> TarConstants.LF_NORMAL;
            case DIRECTORY -> TarConstants.LF_DIR;
            case SYMLINK -> TarConstants.LF_SYMLINK;
            case HARDLINK -> TarConstants.LF_LINK;
            case CHAR_DEVICE -> TarConstants.LF_CHR;
            case BLOCK_DEVICE -> TarConstants.LF_BLK;
            case FIFO -> TarConstants.LF_FIFO;
        };
    }

    /** Keeps the first 4 KiB and the last 16 KiB written, and counts the rest (an 8 GiB entry fits no array). */
    private static final class HeadAndTail extends OutputStream {
        private static final int HEAD = 4096;
        private static final int TAIL = 16384;
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        private final byte[] tailBuffer = new byte[TAIL];
        private int tailLength;
        long count;

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            head.write(b, off, (int) Math.max(0, Math.min(len, HEAD - count)));
            count += len;
            if (len >= TAIL) {
                System.arraycopy(b, off + len - TAIL, tailBuffer, 0, TAIL);
                tailLength = TAIL;
            } else {
                int keep = Math.min(tailLength, TAIL - len);
                System.arraycopy(tailBuffer, tailLength - keep, tailBuffer, 0, keep);
                System.arraycopy(b, off, tailBuffer, keep, len);
                tailLength = keep + len;
            }
        }

        byte[] tail() {
            return Arrays.copyOf(tailBuffer, tailLength);
        }
    }
}
