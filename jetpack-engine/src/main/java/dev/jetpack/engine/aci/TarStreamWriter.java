package dev.jetpack.engine.aci;

import dev.jetpack.engine.JetpackException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Encodes {@link TarEntry}s as reproducible POSIX tar: the one tar dialect of jetpack's output, shared by ACIs
 * ({@link AciTarWriter}) and OCI layers.
 *
 * <p>Entries have numeric owners only and no user/group names, atime or ctime, so the bytes depend on the content
 * alone. Mtimes are stored in whole seconds (the sub-second part is dropped). Long names, big numbers, mtimes
 * before 1970 or after 2242 and extended attributes go into pax records that this class writes itself
 * (commons-compress would put the current user's name into every pax header entry, and can only write text
 * values); the records are sorted, so the output is reproducible.
 */
public final class TarStreamWriter implements Closeable {
    private static final int BUFFER = 64 * 1024;
    private static final int NAME_FIELD = 100;
    private static final long MAX_OCTAL_11 = 077777777777L;
    private static final long MAX_OCTAL_7 = 07777777L;
    private static final int RECORD = 512;
    private static final int END_OF_ARCHIVE = 2 * RECORD;
    private static final int TAR_BLOCK = 10240;

    private final TarArchiveOutputStream tar;
    private final byte[] copyBuffer = new byte[BUFFER];
    private long entryOffset;
    private boolean closed;

    /** Writes tar onto {@code out}; {@link #close()} ends the archive and closes {@code out}. */
    public TarStreamWriter(OutputStream out) {
        tar = new TarArchiveOutputStream(out, TAR_BLOCK, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_TRUNCATE); // the full name is in our pax record
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR); // the exact value is in our pax record
    }

    /**
     * Writes one entry; {@code content} supplies exactly {@code entry.size()} bytes for a file (null otherwise).
     * A directory's name gets its trailing slash here.
     */
    public void write(TarEntry entry, InputStream content) throws IOException {
        write(plan(entry), content);
    }

    /**
     * How {@code entry} will be encoded: its tar name, its pax records and how many tar bytes its headers and its
     * content take. A writer that cuts the tar into blocks at entry boundaries learns from it where the entry
     * starts and ends before any of its bytes are written ({@link #offset()} is where it starts).
     */
    public EntryPlan plan(TarEntry entry) throws IOException {
        entry.requireStorable();
        String tarName = entry.type() == TarEntry.Type.DIRECTORY ? entry.name() + "/" : entry.name();
        Map<String, byte[]> pax = new TreeMap<>();
        if (utf8(tarName).length >= NAME_FIELD) {
            pax.put("path", utf8(tarName));
        }
        if (utf8(entry.linkName()).length >= NAME_FIELD) {
            pax.put("linkpath", utf8(entry.linkName()));
        }
        if (entry.size() > MAX_OCTAL_11) {
            pax.put("size", ascii(Long.toString(entry.size())));
        }
        if (entry.uid() > MAX_OCTAL_7 || entry.uid() < 0) {
            pax.put("uid", ascii(Long.toString(entry.uid())));
        }
        if (entry.gid() > MAX_OCTAL_7 || entry.gid() < 0) {
            pax.put("gid", ascii(Long.toString(entry.gid())));
        }
        // Whole seconds, like GNU tar's and Go's default formats: a sub-second mtime would cost a 1 KiB pax
        // header per file (a fifth of a tree of small files) for precision no runtime relies on.
        long seconds = entry.mtime().getEpochSecond();
        boolean mtimeInHeader = seconds >= 0 && seconds <= MAX_OCTAL_11;
        if (!mtimeInHeader) {
            pax.put("mtime", ascii(Long.toString(seconds)));
        }
        if (entry.devMajor() > MAX_OCTAL_7) {
            pax.put("SCHILY.devmajor", ascii(Integer.toString(entry.devMajor())));
        }
        if (entry.devMinor() > MAX_OCTAL_7) {
            pax.put("SCHILY.devminor", ascii(Integer.toString(entry.devMinor())));
        }
        for (Map.Entry<String, byte[]> xattr : entry.xattrs().entrySet()) {
            if (!TarEntry.isOverlayAttribute(xattr.getKey())) {
                pax.put("SCHILY.xattr." + xattr.getKey(), xattr.getValue());
            }
        }
        long headerSeconds = mtimeInHeader ? seconds : Math.max(0, Math.min(seconds, MAX_OCTAL_11));
        byte[] paxData = pax.isEmpty() ? null : paxRecords(pax);
        long headerBytes = (paxData == null ? 0 : RECORD + padded(paxData.length)) + RECORD;
        long dataBytes = entry.type() == TarEntry.Type.FILE ? entry.size() : 0;
        return new EntryPlan(entry, tarName, paxData, headerSeconds, headerBytes, dataBytes);
    }

    /** Writes an entry as {@link #plan(TarEntry)} planned it. */
    public void write(EntryPlan plan, InputStream content) throws IOException {
        if (closed) {
            throw new IllegalStateException("the archive is finished");
        }
        TarEntry entry = plan.entry();
        entryOffset += plan.headerBytes() + padded(plan.dataBytes());
        if (plan.paxData() != null) {
            writePax(plan.tarName(), plan.paxData(), plan.headerSeconds());
        }

        TarArchiveEntry header = new TarArchiveEntry(plan.tarName(), typeFlag(entry.type()), true);
        header.setUserName("");
        header.setGroupName("");
        header.setMode(entry.mode() & 07777);
        header.setUserId(Math.max(0, Math.min(entry.uid(), MAX_OCTAL_7)));
        header.setGroupId(Math.max(0, Math.min(entry.gid(), MAX_OCTAL_7)));
        header.setModTime(plan.headerSeconds() * 1000);
        header.setSize(entry.type() == TarEntry.Type.FILE ? Math.min(entry.size(), MAX_OCTAL_11) : 0);
        if (!entry.linkName().isEmpty()) {
            header.setLinkName(entry.linkName());
        }
        if (entry.type() == TarEntry.Type.CHAR_DEVICE || entry.type() == TarEntry.Type.BLOCK_DEVICE) {
            header.setDevMajor((int) Math.min(entry.devMajor(), MAX_OCTAL_7));
            header.setDevMinor((int) Math.min(entry.devMinor(), MAX_OCTAL_7));
        }
        if (entry.size() > MAX_OCTAL_11) {
            header.setSize(entry.size()); // BIGNUMBER_STAR encodes it in base-256, the pax record also has it
        }
        tar.putArchiveEntry(header);
        if (entry.type() == TarEntry.Type.FILE) {
            copy(entry, content);
        }
        tar.closeArchiveEntry();
    }

    /** Where the next entry starts in the tar: the bytes of the entries written so far, padding included. */
    public long offset() {
        return entryOffset;
    }

    /** The size the whole tar has once closed: the entries, the end-of-archive blocks, padded to the tar block. */
    public long finalSize() {
        return (entryOffset + END_OF_ARCHIVE + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
    }

    /** A tar size rounded up to whole 512-byte records. */
    /**
     * {@code entry} as a reader of the archive gets it back: the mtime in whole seconds (see {@link #plan}).
     * Whoever lays out the same tree beside the archive (the store, after a build) must lay out this.
     */
    public static TarEntry asRecorded(TarEntry entry) {
        return entry.mtime().getNano() == 0 ? entry
                : entry.withMtime(java.time.Instant.ofEpochSecond(entry.mtime().getEpochSecond()));
    }

    public static long padded(long bytes) {
        return (bytes + RECORD - 1) / RECORD * RECORD;
    }

    /**
     * One entry as it will be encoded.
     *
     * @param headerBytes the tar bytes of its pax header (if any) and its own header
     * @param dataBytes   its content, unpadded
     */
    public record EntryPlan(TarEntry entry, String tarName, byte[] paxData, long headerSeconds, long headerBytes,
                            long dataBytes) {
    }

    private void copy(TarEntry entry, InputStream content) throws IOException {
        long left = entry.size();
        while (left > 0) {
            int n = content.read(copyBuffer, 0, (int) Math.min(copyBuffer.length, left));
            if (n < 0) {
                throw new JetpackException("'" + entry.name() + "' ended after " + (entry.size() - left) + " of "
                        + entry.size() + " bytes: the file changed while it was being archived. Make sure nothing"
                        + " writes to the tree during the image build and try again.");
            }
            tar.write(copyBuffer, 0, n);
            left -= n;
        }
    }

    private static byte[] paxRecords(Map<String, byte[]> records) throws IOException {
        java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> record : records.entrySet()) {
            byte[] key = utf8(record.getKey());
            int body = 1 + key.length + 1 + record.getValue().length + 1; // ' ' key '=' value '\n'
            int length = body + Integer.toString(body).length();
            if (Integer.toString(length).length() != Integer.toString(body).length()) {
                length = body + Integer.toString(length).length();
            }
            data.write(ascii(length + " "));
            data.write(key);
            data.write('=');
            data.write(record.getValue());
            data.write('\n');
        }
        return data.toByteArray();
    }

    private void writePax(String tarName, byte[] data, long seconds) throws IOException {
        StringBuilder paxName = new StringBuilder("PaxHeaders/");
        tarName.codePoints().forEach(c -> paxName.append(c < 0x80 ? (char) c : '_'));
        String name = paxName.length() > NAME_FIELD - 1 ? paxName.substring(0, NAME_FIELD - 1) : paxName.toString();
        TarArchiveEntry pax = new TarArchiveEntry(name, TarConstants.LF_PAX_EXTENDED_HEADER_LC, true);
        pax.setUserName(""); // commons-compress would put the current user's name here
        pax.setGroupName("");
        pax.setMode(0644);
        pax.setModTime(seconds * 1000);
        pax.setSize(data.length);
        tar.putArchiveEntry(pax);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    private static byte typeFlag(TarEntry.Type type) {
        switch (type) {
            case FILE:
                return TarConstants.LF_NORMAL;
            case DIRECTORY:
                return TarConstants.LF_DIR;
            case SYMLINK:
                return TarConstants.LF_SYMLINK;
            case HARDLINK:
                return TarConstants.LF_LINK;
            case CHAR_DEVICE:
                return TarConstants.LF_CHR;
            case BLOCK_DEVICE:
                return TarConstants.LF_BLK;
            case FIFO:
                return TarConstants.LF_FIFO;
            default:
                throw new AssertionError(type);
        }
    }

    /** Writes the end-of-archive blocks and closes the stream below. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            tar.close();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
