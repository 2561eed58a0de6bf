package dev.jetpack.engine.aci;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A strict streaming reader of POSIX (ustar + pax) and GNU tar archives.
 *
 * <p>Written here rather than taken from commons-compress because an image tool must see names exactly as
 * stored: commons-compress silently strips a leading '/' from pax and GNU long names, treats a stream that stops
 * at a header boundary as a normal end, and decodes pax values as text (losing binary xattr values). This reader
 * reports every one of those as an {@link AciFormatException}: a header checksum that does not match, a stream
 * that ends before the end-of-archive marker or inside an entry's data, malformed numbers, pax records or names
 * that are not UTF-8, and entry types an image cannot hold (GNU sparse files, multi-volume parts).
 *
 * <p>It reads exactly the bytes of the archive up to and including the first end-of-archive block and nothing
 * more, so a caller hashing the stream can drain the rest itself.
 */
public final class TarReader {
    /** Both spellings of a sparse file (pax GNU.sparse.* records, GNU type 'S') break the same rule. */
    private static final String SPARSE_UNSUPPORTED = "sparse files are not supported in images; archive the tree"
            + " again without --sparse";

    private static final int BLOCK = 512;
    /** Pax headers and GNU long names are held in memory: refuse absurd sizes instead of running out of heap. */
    private static final int MAX_METADATA_BYTES = 1 << 20;

    private final InputStream in;
    private final byte[] header = new byte[BLOCK];
    private final byte[] scratch = new byte[64 * 1024];
    private final Map<String, byte[]> globalPax = new HashMap<>();
    private String currentName = "";
    private long remaining;
    private long padding;
    private boolean ended;

    public TarReader(InputStream in) {
        this.in = in;
    }

    /** The next entry, or null after the end-of-archive marker. Any unread content of the previous entry is skipped. */
    public TarEntry next() throws IOException {
        if (ended) {
            return null;
        }
        skipFully(remaining + padding, currentName);
        remaining = 0;
        padding = 0;
        Map<String, byte[]> pax = new HashMap<>();
        String longName = null;
        String longLink = null;
        while (true) {
            int n = in.readNBytes(header, 0, BLOCK);
            String where = longName != null ? longName : currentName.isEmpty() ? "(start of archive)" : currentName;
            if (n < BLOCK) {
                throw AciFormatException.forEntry(where, "the archive ends "
                        + (n == 0 ? "before its end-of-archive marker" : "inside a header block")
                        + " after this entry: the data is truncated. Download or copy the archive again.");
            }
            if (isZero(header)) {
                ended = true;
                return null;
            }
            if (!checksumMatches()) {
                throw AciFormatException.forEntry(where, "the tar header that follows has a checksum"
                        + " that does not match its contents: the archive is corrupt. Download or copy it again.");
            }
            String rawName = text(header, 0, 100, where);
            byte typeFlag = header[156];
            long size = number(124, 12, rawName, "size");
            if (size < 0) {
                throw AciFormatException.forEntry(rawName, "negative size " + size);
            }
            switch (typeFlag) {
                case 'x':
                    pax.putAll(parsePax(metadata(size, rawName), rawName));
                    continue;
                case 'g':
                    globalPax.putAll(parsePax(metadata(size, rawName), rawName));
                    continue;
                case 'L':
                    longName = cString(metadata(size, rawName), rawName);
                    continue;
                case 'K':
                    longLink = cString(metadata(size, rawName), rawName);
                    continue;
                default:
                    break;
            }
            Map<String, byte[]> records = new HashMap<>(globalPax);
            records.putAll(pax);
            return entry(typeFlag, rawName, size, longName, longLink, records);
        }
    }

    /**
     * The content of the entry last returned by {@link #next()}. Reading past its end returns -1; a stream that
     * ends early fails with an {@link AciFormatException} naming the entry.
     */
    public InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining == 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw truncatedData(currentName);
                }
                remaining -= n;
                return n;
            }
        };
    }

    private TarEntry entry(byte typeFlag, String rawName, long headerSize, String longName, String longLink,
            Map<String, byte[]> records) throws IOException {
        boolean ustar = header[257] == 'u' && header[262] == 0; // "ustar\0": POSIX, with a name prefix field
        String name = rawName;
        if (ustar && header[345] != 0) {
            name = text(header, 345, 155, rawName) + "/" + rawName;
        }
        if (longName != null) {
            name = longName;
        }
        if (records.containsKey("path")) {
            name = utf8(records.get("path"), name);
        }
        currentName = name;
        String linkName = longLink != null ? longLink : text(header, 157, 100, name);
        if (records.containsKey("linkpath")) {
            linkName = utf8(records.get("linkpath"), name);
        }
        long size = records.containsKey("size") ? paxNumber(records.get("size"), name, "size") : headerSize;
        long uid = records.containsKey("uid") ? paxNumber(records.get("uid"), name, "uid") : number(108, 8, name, "uid");
        long gid = records.containsKey("gid") ? paxNumber(records.get("gid"), name, "gid") : number(116, 8, name, "gid");
        Instant mtime = records.containsKey("mtime") ? paxTime(records.get("mtime"), name)
                : Instant.ofEpochSecond(number(136, 12, name, "mtime"));
        int devMajor = (int) (records.containsKey("SCHILY.devmajor")
                ? paxNumber(records.get("SCHILY.devmajor"), name, "devmajor") : number(329, 8, name, "devmajor"));
        int devMinor = (int) (records.containsKey("SCHILY.devminor")
                ? paxNumber(records.get("SCHILY.devminor"), name, "devminor") : number(337, 8, name, "devminor"));
        int mode = (int) (number(100, 8, name, "mode") & 07777);
        if (size < 0) {
            throw AciFormatException.forEntry(name, "negative size " + size);
        }
        TarEntry.Type type = type(typeFlag, name, records);
        if (name.endsWith("/") && name.length() > 1) {
            if (type == TarEntry.Type.FILE) {
                type = TarEntry.Type.DIRECTORY; // pre-POSIX archives mark directories by the slash alone
            }
            name = name.substring(0, name.length() - 1);
        }
        remaining = size;
        padding = (BLOCK - size % BLOCK) % BLOCK;
        long contentSize = size;
        if (type != TarEntry.Type.FILE) {
            contentSize = 0; // data stored with a link or directory is skipped, never extracted
        }
        return new TarEntry(name, type, mode, uid, gid, contentSize, mtime, linkName, devMajor, devMinor,
                xattrs(records, name));
    }

    private static TarEntry.Type type(byte typeFlag, String name, Map<String, byte[]> records) {
        for (String key : records.keySet()) {
            if (key.startsWith("GNU.sparse.")) {
                throw AciFormatException.forEntry(name, SPARSE_UNSUPPORTED);
            }
        }
        switch (typeFlag) {
            case '0':
            case 0:
            case '7':
                return TarEntry.Type.FILE;
            case '1':
                return TarEntry.Type.HARDLINK;
            case '2':
                return TarEntry.Type.SYMLINK;
            case '3':
                return TarEntry.Type.CHAR_DEVICE;
            case '4':
                return TarEntry.Type.BLOCK_DEVICE;
            case '5':
                return TarEntry.Type.DIRECTORY;
            case '6':
                return TarEntry.Type.FIFO;
            case 'S':
                throw AciFormatException.forEntry(name, SPARSE_UNSUPPORTED);
            default:
                throw AciFormatException.forEntry(name, "unsupported tar entry type '" + (char) typeFlag + "' (only"
                        + " files, directories, symlinks, hard links, devices and fifos can be part of an image)");
        }
    }

    private static Map<String, byte[]> xattrs(Map<String, byte[]> records, String name) {
        Map<String, byte[]> result = new TreeMap<>();
        for (Map.Entry<String, byte[]> record : records.entrySet()) {
            String key = record.getKey();
            if (key.startsWith("SCHILY.xattr.")) {
                result.put(key.substring("SCHILY.xattr.".length()), record.getValue());
            } else if (key.startsWith("LIBARCHIVE.xattr.")) {
                String attr = URLDecoder.decode(key.substring("LIBARCHIVE.xattr.".length()), StandardCharsets.UTF_8);
                try {
                    result.putIfAbsent(attr, Base64.getDecoder().decode(record.getValue()));
                } catch (IllegalArgumentException e) {
                    throw AciFormatException.forEntry(name, "pax record " + key + " is not base64");
                }
            }
        }
        return result;
    }

    /** Parses "LENGTH KEY=VALUE\n" records; values stay bytes because xattr values may be binary. */
    private static Map<String, byte[]> parsePax(byte[] data, String entry) {
        Map<String, byte[]> records = new LinkedHashMap<>();
        int pos = 0;
        while (pos < data.length) {
            if (data[pos] == 0) {
                break; // some writers pad the pax data with NULs
            }
            int space = pos;
            long length = 0;
            while (space < data.length && data[space] >= '0' && data[space] <= '9' && length < data.length) {
                length = length * 10 + (data[space] - '0');
                space++;
            }
            if (space == pos || space >= data.length || data[space] != ' ' || length <= space - pos + 1
                    || pos + length > data.length || data[(int) (pos + length - 1)] != '\n') {
                throw AciFormatException.forEntry(entry, "malformed pax extended header record at byte " + pos
                        + ": the archive is corrupt");
            }
            int end = (int) (pos + length - 1);
            int equals = space + 1;
            while (equals < end && data[equals] != '=') {
                equals++;
            }
            if (equals >= end || equals == space + 1) {
                throw AciFormatException.forEntry(entry, "malformed pax extended header record at byte " + pos
                        + " (no KEY=VALUE): the archive is corrupt");
            }
            String key = utf8(java.util.Arrays.copyOfRange(data, space + 1, equals), entry);
            byte[] value = java.util.Arrays.copyOfRange(data, equals + 1, end);
            records.put(key, value);
            pos += (int) length;
        }
        return records;
    }

    private byte[] metadata(long size, String entry) throws IOException {
        if (size > MAX_METADATA_BYTES) {
            throw AciFormatException.forEntry(entry, "a pax header or long name of " + size + " bytes is larger than"
                    + " the limit of " + MAX_METADATA_BYTES + " bytes");
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
            throw truncatedData(entry);
        }
        skipFully((BLOCK - size % BLOCK) % BLOCK, entry);
        return data;
    }

    private void skipFully(long count, String entry) throws IOException {
        long left = count;
        while (left > 0) {
            int n = in.read(scratch, 0, (int) Math.min(scratch.length, left));
            if (n < 0) {
                throw truncatedData(entry);
            }
            left -= n;
        }
    }

    private static AciFormatException truncatedData(String entry) {
        return AciFormatException.forEntry(entry, "the archive ends inside this entry's data: it is truncated."
                + " Download or copy the archive again.");
    }

    private boolean checksumMatches() throws AciFormatException {
        long stored = number(148, 8, "", "checksum");
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            byte b = (i >= 148 && i < 156) ? (byte) ' ' : header[i];
            unsigned += b & 0xff;
            signed += b;
        }
        return stored == unsigned || stored == signed;
    }

    /** An octal field (NUL or space terminated, possibly space padded) or a GNU base-256 field. */
    private long number(int offset, int length, String entry, String field) {
        if ((header[offset] & 0x80) != 0) {
            if (header[offset] == (byte) 0xff) {
                throw AciFormatException.forEntry(entry, "negative " + field + " in the tar header");
            }
            long value = header[offset] & 0x7f;
            for (int i = 1; i < length; i++) {
                if (value >>> 55 != 0) {
                    throw AciFormatException.forEntry(entry, field + " in the tar header is too large");
                }
                value = (value << 8) | (header[offset + i] & 0xff);
            }
            return value;
        }
        int i = offset;
        int end = offset + length;
        while (i < end && header[i] == ' ') {
            i++;
        }
        long value = 0;
        for (; i < end && header[i] != 0 && header[i] != ' '; i++) {
            byte b = header[i];
            if (b < '0' || b > '7') {
                throw AciFormatException.forEntry(entry, field + " field of the tar header is not an octal number:"
                        + " the archive is corrupt");
            }
            value = (value << 3) + (b - '0');
        }
        return value;
    }

    private static long paxNumber(byte[] value, String entry, String field) {
        try {
            return Long.parseLong(new String(value, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw AciFormatException.forEntry(entry, "pax " + field + " '" + new String(value, StandardCharsets.US_ASCII)
                    + "' is not a number");
        }
    }

    private static Instant paxTime(byte[] value, String entry) {
        String text = new String(value, StandardCharsets.US_ASCII);
        try {
            return instantOf(new java.math.BigDecimal(text));
        } catch (ArithmeticException | NumberFormatException e) {
            throw AciFormatException.forEntry(entry, "pax mtime '" + text + "' is not a time in seconds");
        }
    }

    private static Instant instantOf(java.math.BigDecimal seconds) {
        java.math.BigDecimal floor = seconds.setScale(0, java.math.RoundingMode.FLOOR);
        long nanos = seconds.subtract(floor).movePointRight(9).setScale(0, java.math.RoundingMode.DOWN).longValueExact();
        return Instant.ofEpochSecond(floor.longValueExact(), nanos);
    }

    private String text(byte[] block, int offset, int length, String entry) {
        int end = offset;
        while (end < offset + length && block[end] != 0) {
            end++;
        }
        return utf8(java.util.Arrays.copyOfRange(block, offset, end), entry);
    }

    private static String cString(byte[] data, String entry) {
        int end = 0;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return utf8(java.util.Arrays.copyOf(data, end), entry);
    }

    private static String utf8(byte[] bytes, String entry) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw AciFormatException.forEntry(entry, "a name in the archive is not valid UTF-8; image paths must be"
                    + " UTF-8");
        }
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
