package dev.jetpack.engine.aci;

import dev.jetpack.engine.JetpackException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes {@link TarEntry}s as reproducible POSIX tar: the one tar dialect of jetpack's output, shared by ACIs
 * ({@link AciTarWriter}) and OCI layers.
 *
 * <p>Entries have numeric owners only and no user/group names, atime or ctime, so the bytes depend on the content
 * alone. Mtimes are stored in whole seconds (the sub-second part is dropped). Long names, big numbers, mtimes
 * before 1970 or after 2242 and extended attributes go into pax records that this class writes itself
 * (commons-compress would put the current user's name into every pax header entry, and can only write text
 * values); the records are sorted, so the output is reproducible.
 *
 * <p>The 512-byte headers are encoded here too, as commons-compress encodes them (octal fields of n-1 digits and a
 * space, the checksum as six digits, a NUL and a space, "ustar\0" "00", names truncated at a character boundary,
 * a size beyond 11 octal digits in base-256, the archive padded to 10 KiB tar blocks): the bytes are the same as
 * before, which {@code TarStreamWriterTest} checks against commons-compress. Why not through commons-compress:
 * its entry objects and encoders are the most code a rebuild's JIT compiles (a third of a second of a 2-core
 * machine for a 7,000-entry tree), for headers that take a few lines to write.
 */
public final class TarStreamWriter implements Closeable {
    private static final int BUFFER = 64 * 1024;
    private static final int NAME_FIELD = 100;
    private static final long MAX_OCTAL_11 = 077777777777L;
    private static final long MAX_OCTAL_7 = 07777777L;
    private static final int RECORD = 512;
    private static final int END_OF_ARCHIVE = 2 * RECORD;
    private static final int TAR_BLOCK = 10240;
    private static final byte PAX_HEADER = 'x';
    private static final byte[] ZEROS = new byte[TAR_BLOCK];
    private static final byte[] MAGIC_AND_VERSION = "ustar\u000000".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final byte[] copyBuffer = new byte[BUFFER];
    private final byte[] header = new byte[RECORD];
    private long entryOffset;
    private boolean closed;

    /** Writes tar onto {@code out}; {@link #close()} ends the archive and closes {@code out}. */
    public TarStreamWriter(OutputStream out) {
        this.out = out;
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

        long size = entry.type() == TarEntry.Type.FILE ? entry.size() : 0;
        boolean device = entry.type() == TarEntry.Type.CHAR_DEVICE || entry.type() == TarEntry.Type.BLOCK_DEVICE;
        writeHeader(plan.tarName(), typeFlag(entry.type()), entry.mode() & 07777,
                Math.max(0, Math.min(entry.uid(), MAX_OCTAL_7)), Math.max(0, Math.min(entry.gid(), MAX_OCTAL_7)),
                size, plan.headerSeconds(), entry.linkName(),
                device ? Math.min(entry.devMajor(), MAX_OCTAL_7) : 0, device ? Math.min(entry.devMinor(), MAX_OCTAL_7) : 0);
        if (entry.type() == TarEntry.Type.FILE) {
            copy(entry, content);
            pad(size);
        }
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
            out.write(copyBuffer, 0, n);
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
        writeHeader(name, PAX_HEADER, 0644, 0, 0, data.length, seconds, "", 0, 0);
        out.write(data);
        pad(data.length);
    }

    /**
     * One ustar header: name and link name truncated to their fields (the pax record has them in full), octal
     * numbers of n-1 digits and a space, a size too big for 11 digits in base-256 (star's form), no owner names,
     * the checksum over the header with its own field as spaces.
     */
    private void writeHeader(String name, byte type, int mode, long uid, long gid, long size, long seconds,
                             String linkName, long devMajor, long devMinor) throws IOException {
        Arrays.fill(header, (byte) 0);
        putName(name, 0, NAME_FIELD);
        putOctal(mode, 100, 8);
        putOctal(uid, 108, 8);
        putOctal(gid, 116, 8);
        if (size > MAX_OCTAL_11) {
            header[124] = (byte) 0x80;
            for (int i = 0; i < 8; i++) {
                header[135 - i] = (byte) (size >>> (8 * i));
            }
        } else {
            putOctal(size, 124, 12);
        }
        putOctal(seconds, 136, 12);
        Arrays.fill(header, 148, 156, (byte) ' ');
        header[156] = type;
        putName(linkName, 157, NAME_FIELD);
        System.arraycopy(MAGIC_AND_VERSION, 0, header, 257, MAGIC_AND_VERSION.length);
        putOctal(devMajor, 329, 8);
        putOctal(devMinor, 337, 8);
        long checksum = 0;
        for (byte b : header) {
            checksum += b & 0xff;
        }
        putDigits(checksum, 148, 6);
        header[154] = 0;
        header[155] = ' ';
        out.write(header);
    }

    /** {@code value} in octal over {@code length - 1} digits, zero-padded, then a space. */
    private void putOctal(long value, int offset, int length) {
        putDigits(value, offset, length - 1);
        header[offset + length - 1] = ' ';
    }

    private void putDigits(long value, int offset, int digits) {
        long rest = value;
        for (int i = offset + digits - 1; i >= offset; i--) {
            header[i] = (byte) ('0' + (rest & 7));
            rest >>>= 3;
        }
    }

    /**
     * The longest prefix of {@code name}, cut between characters, whose UTF-8 fits the field. A character beyond
     * the Basic Multilingual Plane (four UTF-8 bytes) cut in its middle leaves a '?': commons-compress cuts names
     * by UTF-16 unit, and its encoder writes that for the half of the surrogate pair that fits.
     */
    private void putName(String name, int offset, int length) {
        byte[] bytes = utf8(name);
        int end = Math.min(bytes.length, length);
        if (end < bytes.length && (bytes[end] & 0xc0) == 0x80) {
            while (end > 0 && (bytes[end] & 0xc0) == 0x80) {
                end--; // bytes[end] continues a character that would not fit whole: cut before that character
            }
            if ((bytes[end] & 0xf8) == 0xf0) {
                header[offset + end] = '?';
            }
        }
        System.arraycopy(bytes, 0, header, offset, end);
    }

    /** Zeros up to the next 512-byte record after {@code bytes} of data. */
    private void pad(long bytes) throws IOException {
        int padding = (int) (padded(bytes) - bytes);
        if (padding > 0) {
            out.write(ZEROS, 0, padding);
        }
    }

    private static byte typeFlag(TarEntry.Type type) {
        switch (type) {
            case FILE:
                return '0';
            case DIRECTORY:
                return '5';
            case SYMLINK:
                return '2';
            case HARDLINK:
                return '1';
            case CHAR_DEVICE:
                return '3';
            case BLOCK_DEVICE:
                return '4';
            case FIFO:
                return '6';
            default:
                throw new AssertionError(type);
        }
    }

    /** Writes the end-of-archive blocks and closes the stream below. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            // two zero records end the archive; the last tar block is filled up with zeros
            for (long left = finalSize() - entryOffset; left > 0; ) {
                int n = (int) Math.min(ZEROS.length, left);
                out.write(ZEROS, 0, n);
                left -= n;
            }
            out.close();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
