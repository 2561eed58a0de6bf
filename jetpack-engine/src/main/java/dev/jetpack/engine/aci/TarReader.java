package dev.jetpack.engine.aci;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A strict streaming reader of POSIX (ustar + pax), GNU and v7 tar archives.
 *
 * <p>Written here rather than taken from commons-compress because an image tool must see names exactly as
 * stored: commons-compress silently strips a leading '/' from pax and GNU long names, treats a stream that stops
 * at a header boundary as a normal end, and decodes pax values as text (losing binary xattr values). This reader
 * reports every one of those as an {@link AciFormatException}: a header checksum that does not match, a stream
 * that ends before the end-of-archive marker or inside an entry's data, malformed numbers, pax records or names
 * that are not UTF-8, and entry types an image cannot hold (multi-volume parts). What a name means (absolute,
 * {@code ..}, duplicates) is decided by the caller, through {@link ArchivePaths}.
 *
 * <p>Where the formats leave room, it reads as GNU tar does: a header field that a GNU long name or a pax record
 * replaces is never decoded (writers cut it mid-character), base-256 numbers may be negative (times before 1970),
 * a numeric field may start with one NUL, Solaris {@code X} headers are pax headers, GNU incremental {@code D}
 * entries are directories, volume labels are skipped, and sparse files (GNU type {@code S}, pax sparse 0.0, 0.1
 * and 1.0) are read as the full file they stand for, holes as zeros: appc has no sparse form.
 *
 * <p>ACLs and SELinux labels in pax records ({@code SCHILY.acl.access}, {@code SCHILY.acl.default},
 * {@code RHT.security.selinux}) become the extended attributes the kernel keeps them in (see {@link PaxAcl}).
 *
 * <p>It reads exactly the bytes of the archive up to and including the first end-of-archive block and nothing
 * more, so a caller hashing the stream can drain the rest itself.
 */
public final class TarReader {
    private static final int BLOCK = 512;
    /** Pax headers and GNU long names are held in memory: refuse absurd sizes instead of running out of heap. */
    private static final int MAX_METADATA_BYTES = 1 << 20;
    /** A sparse map beyond this many segments is an attack on memory, not a file. */
    private static final int MAX_SPARSE_SEGMENTS = 1 << 20;
    /** The largest uid_t/gid_t a file can have: 2^32-1 means "no change" to chown(2). */
    private static final long MAX_ID = 0xfffffffeL;
    private static final String NOT_UTF8 = "its name is not valid UTF-8, and image paths must be UTF-8. The tarball"
            + " was probably made with names in another encoding (latin-1 is common): convert them, e.g. `convmv -r"
            + " -f latin1 -t utf8 --notest DIR`, and archive the tree again";

    private final InputStream in;
    private final byte[] header = new byte[BLOCK];
    private final byte[] scratch = new byte[64 * 1024];
    private final Map<String, byte[]> globalPax = new HashMap<>();
    private String currentName = "";
    /** Archive bytes of the current entry's data not yet read. */
    private long remaining;
    private long padding;
    /** The current entry's data segments when it is sparse, else null. */
    private SparseMap sparse;
    private boolean ended;

    public TarReader(InputStream in) {
        this.in = in;
    }

    /**
     * True when {@code block} (at least 512 bytes) is a tar header with a valid checksum, or the all-zero block
     * that ends (or makes up) an empty archive: how an uncompressed tar is recognised when it has no
     * {@code ustar} magic (v7, old bsdtar, star).
     */
    public static boolean isTarStart(byte[] block) {
        if (block.length < BLOCK) {
            return false;
        }
        byte[] first = Arrays.copyOf(block, BLOCK);
        if (isZero(first)) {
            return true;
        }
        try {
            return checksumMatches(first);
        } catch (AciFormatException e) {
            return false;
        }
    }

    /** The next entry, or null after the end-of-archive marker. Any unread content of the previous entry is skipped. */
    public TarEntry next() throws IOException {
        if (ended) {
            return null;
        }
        skipFully(remaining + padding, currentName);
        remaining = 0;
        padding = 0;
        sparse = null;
        Map<String, byte[]> pax = new HashMap<>();
        List<Long> sparseRecords = new ArrayList<>();
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
            if (!checksumMatches(header)) {
                throw AciFormatException.forEntry(where, "the tar header that follows has a checksum"
                        + " that does not match its contents: the archive is corrupt. Download or copy it again.");
            }
            // Only for messages: the name field of a metadata header or of a replaced name is never decoded.
            String label = lenient(field(0, 100));
            byte typeFlag = header[156];
            long size = number(124, 12, label, "size");
            if (size < 0) {
                throw AciFormatException.forEntry(label, "negative size " + size);
            }
            switch (typeFlag) {
                case 'x':
                case 'X': // Solaris' name for the same extended header
                    pax.putAll(parsePax(metadata(size, label), label, sparseRecords));
                    continue;
                case 'g':
                    globalPax.putAll(parsePax(metadata(size, label), label, null));
                    continue;
                case 'L':
                    longName = cString(metadata(size, label), label);
                    continue;
                case 'K':
                    longLink = cString(metadata(size, label), label);
                    continue;
                case 'V': // a GNU volume label names the tape, not a file: GNU tar skips it too
                    skipFully(size + padding(size), label);
                    pax.clear();
                    sparseRecords.clear();
                    longName = null;
                    longLink = null;
                    continue;
                default:
                    break;
            }
            Map<String, byte[]> records = new HashMap<>(globalPax);
            records.putAll(pax);
            return entry(typeFlag, size, longName, longLink, records, sparseRecords);
        }
    }

    /**
     * The content of the entry last returned by {@link #next()}, holes of a sparse file included as zeros.
     * Reading past its end returns -1; a stream that ends early fails with an {@link AciFormatException} naming
     * the entry.
     */
    public InputStream content() {
        if (sparse != null) {
            return sparse.content();
        }
        return new ContentStream() {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return readData(b, off, len);
            }
        };
    }

    /** An entry's content, read in blocks; single bytes go through the block read. */
    private abstract static class ContentStream extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    }

    /** Reads the current entry's archive bytes (for a sparse file: its stored segments, back to back). */
    private int readData(byte[] b, int off, int len) throws IOException {
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

    private TarEntry entry(byte typeFlag, long headerSize, String longName, String longLink,
            Map<String, byte[]> records, List<Long> sparseRecords) throws IOException {
        String name;
        if (records.containsKey("GNU.sparse.name")) {
            name = utf8(records.get("GNU.sparse.name"), lenient(field(0, 100)));
        } else if (records.containsKey("path")) {
            name = utf8(records.get("path"), lenient(field(0, 100)));
        } else if (longName != null) {
            name = longName;
        } else {
            name = headerName();
        }
        currentName = name;
        String linkName;
        if (records.containsKey("linkpath")) {
            linkName = utf8(records.get("linkpath"), name);
        } else if (longLink != null) {
            linkName = longLink;
        } else {
            linkName = utf8(field(157, 100), name);
        }
        long size = records.containsKey("size") ? paxNumber(records.get("size"), name, "size") : headerSize;
        long uid = records.containsKey("uid") ? paxNumber(records.get("uid"), name, "uid") : number(108, 8, name, "uid");
        long gid = records.containsKey("gid") ? paxNumber(records.get("gid"), name, "gid") : number(116, 8, name, "gid");
        Instant mtime = records.containsKey("mtime") ? paxTime(records.get("mtime"), name)
                : Instant.ofEpochSecond(number(136, 12, name, "mtime"));
        long devMajor = records.containsKey("SCHILY.devmajor")
                ? paxNumber(records.get("SCHILY.devmajor"), name, "devmajor") : number(329, 8, name, "devmajor");
        long devMinor = records.containsKey("SCHILY.devminor")
                ? paxNumber(records.get("SCHILY.devminor"), name, "devminor") : number(337, 8, name, "devminor");
        int mode = (int) (number(100, 8, name, "mode") & 07777);
        requireInRange(name, "size", size, Long.MAX_VALUE);
        requireInRange(name, "uid", uid, MAX_ID);
        requireInRange(name, "gid", gid, MAX_ID);
        requireInRange(name, "devmajor", devMajor, Integer.MAX_VALUE);
        requireInRange(name, "devminor", devMinor, Integer.MAX_VALUE);
        TarEntry.Type type = type(typeFlag, name);
        if (name.endsWith("/") && name.length() > 1) {
            if (type == TarEntry.Type.FILE) {
                type = TarEntry.Type.DIRECTORY; // pre-POSIX archives mark directories by the slash alone
            }
            name = name.substring(0, name.length() - 1);
        }
        remaining = size;
        padding = padding(size);
        long contentSize = size;
        if (typeFlag == 'S' || isPaxSparse(records)) {
            sparse = typeFlag == 'S' ? gnuSparseMap(name) : paxSparseMap(records, sparseRecords, name);
            contentSize = sparse.realSize;
            type = TarEntry.Type.FILE;
        } else if (type != TarEntry.Type.FILE) {
            contentSize = 0; // data stored with a link or directory is skipped, never extracted
        }
        Map<String, byte[]> xattrs = xattrs(records, name);
        mode = PaxAcl.applyMask(mode, xattrs, name);
        TarEntry result = new TarEntry(name, type, mode, uid, gid, contentSize, mtime, linkName, (int) devMajor,
                (int) devMinor, xattrs);
        result.requireStorable();
        return result;
    }

    /**
     * Only times may be negative (before 1970), though base-256 and pax can make any field negative; ids stop
     * below 2^32-1, which chown(2) takes as "leave unchanged".
     */
    private static void requireInRange(String entry, String field, long value, long max) {
        if (value < 0) {
            throw AciFormatException.forEntry(entry, "negative " + field + " " + value + ": the archive is corrupt");
        }
        if (value > max) {
            throw AciFormatException.forEntry(entry, field + " " + value + " is out of range (0.." + max + ", what a"
                    + " Linux file can have): the archive is corrupt or was not made from a Linux tree");
        }
    }

    /** The name of a header without long-name or pax help: ustar's prefix joined to the name field. */
    private String headerName() {
        String rawName = utf8(field(0, 100), lenient(field(0, 100)));
        boolean ustar = header[257] == 'u' && header[262] == 0; // "ustar\0": POSIX, with a name prefix field
        if (ustar && header[345] != 0) {
            return utf8(field(345, 155), lenient(field(345, 155)) + "/" + rawName) + "/" + rawName;
        }
        return rawName;
    }

    private static TarEntry.Type type(byte typeFlag, String name) {
        switch (typeFlag) {
            case '0':
            case 0:
            case '7':
            case 'S': // sparse: a regular file once its holes are filled in
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
            case 'D': // GNU incremental: a directory whose data lists its contents at dump time, which tar skips
                return TarEntry.Type.DIRECTORY;
            case '6':
                return TarEntry.Type.FIFO;
            case 'M':
                throw AciFormatException.forEntry(name, "this entry continues a file from the previous volume of a"
                        + " multi-volume archive: it is only part of a file. Join the volumes (tar -M) and archive"
                        + " the tree again as one archive");
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
        PaxAcl.addAttributes(records, result, name);
        return result;
    }

    /**
     * Parses "LENGTH KEY=VALUE\n" records; values stay bytes because xattr values may be binary. The repeated
     * {@code GNU.sparse.offset}/{@code GNU.sparse.numbytes} records of sparse format 0.0 are collected, in order,
     * into {@code sparseRecords} when it is given.
     */
    private static Map<String, byte[]> parsePax(byte[] data, String entry, List<Long> sparseRecords) {
        Map<String, byte[]> records = new HashMap<>();
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
            String key = utf8(Arrays.copyOfRange(data, space + 1, equals), entry);
            byte[] value = Arrays.copyOfRange(data, equals + 1, end);
            if (sparseRecords != null && (key.equals("GNU.sparse.offset") || key.equals("GNU.sparse.numbytes"))) {
                if (sparseRecords.size() >= 2 * MAX_SPARSE_SEGMENTS) {
                    throw AciFormatException.forEntry(entry, "the sparse map has more than " + MAX_SPARSE_SEGMENTS
                            + " segments");
                }
                sparseRecords.add(paxNumber(value, entry, key));
            }
            records.put(key, value);
            pos += (int) length;
        }
        return records;
    }

    private static boolean isPaxSparse(Map<String, byte[]> records) {
        return records.containsKey("GNU.sparse.map") || records.containsKey("GNU.sparse.offset")
                || records.containsKey("GNU.sparse.major");
    }

    /** Sparse pax formats 0.0 (repeated offset/numbytes records), 0.1 (one map record), 1.0 (map in the data). */
    private SparseMap paxSparseMap(Map<String, byte[]> records, List<Long> sparseRecords, String name)
            throws IOException {
        List<Long> numbers;
        long realSize;
        if (records.containsKey("GNU.sparse.major")) {
            String version = new String(records.get("GNU.sparse.major"), StandardCharsets.US_ASCII) + "."
                    + new String(records.getOrDefault("GNU.sparse.minor", new byte[] {'0'}), StandardCharsets.US_ASCII);
            if (!version.equals("1.0")) {
                throw AciFormatException.forEntry(name, "sparse format " + version + " is unknown (GNU tar writes"
                        + " 0.0, 0.1 and 1.0): archive the tree again with --sparse-version=1.0 or without --sparse");
            }
            realSize = paxNumber(required(records, "GNU.sparse.realsize", name), name, "GNU.sparse.realsize");
            numbers = mapInData(name);
        } else {
            realSize = paxNumber(required(records, "GNU.sparse.size", name), name, "GNU.sparse.size");
            if (records.containsKey("GNU.sparse.map")) {
                numbers = new ArrayList<>();
                String map = new String(records.get("GNU.sparse.map"), StandardCharsets.US_ASCII);
                for (String number : map.isEmpty() ? new String[0] : map.split(",", -1)) {
                    numbers.add(paxNumber(number.getBytes(StandardCharsets.US_ASCII), name, "GNU.sparse.map"));
                }
            } else {
                numbers = sparseRecords;
            }
        }
        if (numbers.size() % 2 != 0) {
            throw corruptSparseMap(name, "an offset without a length");
        }
        List<long[]> segments = new ArrayList<>();
        for (int i = 0; i < numbers.size(); i += 2) {
            segments.add(new long[] {numbers.get(i), numbers.get(i + 1)});
        }
        return new SparseMap(segments, realSize, name);
    }

    /** Format 1.0: decimal lines (count, then offset and length pairs) at the start of the data, padded to a block. */
    private List<Long> mapInData(String name) throws IOException {
        List<Long> numbers = new ArrayList<>();
        long used = 0;
        long count = -1;
        StringBuilder digits = new StringBuilder();
        while (count < 0 || numbers.size() < 2 * count) {
            int b = readMapByte(name);
            used++;
            if (b == '\n') {
                if (digits.length() == 0) {
                    throw corruptSparseMap(name, "an empty line in the map");
                }
                long value = paxNumber(digits.toString().getBytes(StandardCharsets.US_ASCII), name, "sparse map");
                digits.setLength(0);
                if (count < 0) {
                    if (value > MAX_SPARSE_SEGMENTS) {
                        throw AciFormatException.forEntry(name, "the sparse map has more than " + MAX_SPARSE_SEGMENTS
                                + " segments");
                    }
                    count = value;
                } else {
                    numbers.add(value);
                }
            } else if (b >= '0' && b <= '9' && digits.length() < 20) {
                digits.append((char) b);
            } else {
                throw corruptSparseMap(name, "a byte that is not a digit in the map");
            }
        }
        long skip = padding(used);
        for (long i = 0; i < skip; i++) {
            readMapByte(name);
        }
        return numbers;
    }

    private int readMapByte(String name) throws IOException {
        byte[] one = new byte[1];
        if (readData(one, 0, 1) < 0) {
            throw corruptSparseMap(name, "the map is longer than the entry");
        }
        return one[0] & 0xff;
    }

    /** GNU type 'S': four segments in the header, more in extension blocks, the real size at offset 483. */
    private SparseMap gnuSparseMap(String name) throws IOException {
        List<long[]> segments = new ArrayList<>();
        long realSize = number(483, 12, name, "realsize");
        addGnuSegments(header, 386, 4, segments, name);
        boolean extended = header[482] != 0;
        byte[] block = new byte[BLOCK];
        while (extended) {
            if (in.readNBytes(block, 0, BLOCK) < BLOCK) {
                throw truncatedData(name);
            }
            addGnuSegments(block, 0, 21, segments, name);
            extended = block[504] != 0;
            if (segments.size() > MAX_SPARSE_SEGMENTS) {
                throw AciFormatException.forEntry(name, "the sparse map has more than " + MAX_SPARSE_SEGMENTS
                        + " segments");
            }
        }
        return new SparseMap(segments, realSize, name);
    }

    private static void addGnuSegments(byte[] block, int offset, int count, List<long[]> segments, String name) {
        for (int i = 0; i < count; i++) {
            int at = offset + i * 24;
            if (block[at] == 0 && block[at + 12] == 0) {
                return; // unused slots are left empty
            }
            segments.add(new long[] {number(block, at, 12, name, "sparse offset"),
                number(block, at + 12, 12, name, "sparse length")});
        }
    }

    private static AciFormatException corruptSparseMap(String name, String what) {
        return AciFormatException.forEntry(name, "the sparse file's map is corrupt (" + what + "): the archive is"
                + " damaged. Download or copy it again.");
    }

    private static byte[] required(Map<String, byte[]> records, String key, String name) {
        byte[] value = records.get(key);
        if (value == null) {
            throw corruptSparseMap(name, "no " + key + " record");
        }
        return value;
    }

    /**
     * The data segments of a sparse file, ascending and not overlapping; their lengths add up to the archive bytes
     * of the entry. Its content stream yields zeros in the holes.
     */
    private final class SparseMap {
        private final List<long[]> segments;
        private final long realSize;

        SparseMap(List<long[]> segments, long realSize, String name) {
            long end = 0;
            long stored = 0;
            for (long[] segment : segments) {
                if (segment[0] < end || segment[1] < 0 || segment[0] > realSize - segment[1]) {
                    throw corruptSparseMap(name, "segment " + segment[0] + "+" + segment[1] + " overlaps another or"
                            + " lies beyond the file's size " + realSize);
                }
                end = segment[0] + segment[1];
                stored += segment[1];
            }
            if (stored != remaining) {
                throw corruptSparseMap(name, "its segments hold " + stored + " bytes, the entry " + remaining);
            }
            this.segments = segments;
            this.realSize = realSize;
        }

        InputStream content() {
            return new ContentStream() {
                private long position;
                private int index;

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (len == 0) {
                        return 0;
                    }
                    while (index < segments.size() && position >= segments.get(index)[0] + segments.get(index)[1]) {
                        index++;
                    }
                    if (position >= realSize) {
                        return -1;
                    }
                    long holeEnd = index < segments.size() ? segments.get(index)[0] : realSize;
                    if (position < holeEnd) {
                        int n = (int) Math.min(len, holeEnd - position);
                        Arrays.fill(b, off, off + n, (byte) 0);
                        position += n;
                        return n;
                    }
                    long segmentEnd = segments.get(index)[0] + segments.get(index)[1];
                    int n = readData(b, off, (int) Math.min(len, segmentEnd - position));
                    if (n < 0) {
                        throw truncatedData(currentName);
                    }
                    position += n;
                    return n;
                }
            };
        }
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
        skipFully(padding(size), entry);
        return data;
    }

    private static long padding(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    /**
     * Skips through {@code skip}, a seek on a plain file (the header pass over a rootfs tarball); every stream of
     * jetpack that counts or hashes either counts skipped bytes or reads them. At the end of the stream skip
     * returns 0, and the read that follows tells a truncated archive apart.
     */
    private void skipFully(long count, String entry) throws IOException {
        long left = count;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped > 0) {
                left -= skipped;
                continue;
            }
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

    private static boolean checksumMatches(byte[] block) {
        long stored = number(block, 148, 8, "", "checksum");
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            byte b = (i >= 148 && i < 156) ? (byte) ' ' : block[i];
            unsigned += b & 0xff;
            signed += b;
        }
        return stored == unsigned || stored == signed;
    }

    private long number(int offset, int length, String entry, String field) {
        return number(header, offset, length, entry, field);
    }

    /**
     * An octal field (NUL or space terminated, possibly space padded, possibly after one leading NUL as some old
     * writers leave when the previous field overflows) or a GNU base-256 field, negative ones included.
     */
    private static long number(byte[] block, int offset, int length, String entry, String field) {
        if ((block[offset] & 0x80) != 0) {
            byte[] bytes = Arrays.copyOfRange(block, offset, offset + length);
            if (bytes[0] == (byte) 0x80) {
                bytes[0] = 0; // the positive marker; 0xff starts a negative number in two's complement
            }
            BigInteger value = new BigInteger(bytes);
            if (value.bitLength() > 63) {
                throw AciFormatException.forEntry(entry, field + " in the tar header is too large");
            }
            return value.longValueExact();
        }
        int i = offset;
        int end = offset + length;
        if (block[i] == 0) {
            i++;
        }
        while (i < end && block[i] == ' ') {
            i++;
        }
        long value = 0;
        for (; i < end && block[i] != 0 && block[i] != ' '; i++) {
            byte b = block[i];
            if (b < '0' || b > '7' || value >>> 60 != 0) {
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
        } catch (ArithmeticException | NumberFormatException | java.time.DateTimeException e) {
            throw AciFormatException.forEntry(entry, "pax mtime '" + text + "' is not a time in seconds");
        }
    }

    private static Instant instantOf(java.math.BigDecimal seconds) {
        java.math.BigDecimal floor = seconds.setScale(0, java.math.RoundingMode.FLOOR);
        long nanos = seconds.subtract(floor).movePointRight(9).setScale(0, java.math.RoundingMode.DOWN).longValueExact();
        return Instant.ofEpochSecond(floor.longValueExact(), nanos);
    }

    /** The bytes of a header field up to its first NUL. */
    private byte[] field(int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return Arrays.copyOfRange(header, offset, end);
    }

    private static String cString(byte[] data, String entry) {
        int end = 0;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return utf8(Arrays.copyOf(data, end), entry);
    }

    /** A name for messages only: undecodable bytes become U+FFFD. */
    private static String lenient(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Strict UTF-8; {@code entry} names the entry in the message (lenient-decoded when it is this very name). */
    private static String utf8(byte[] bytes, String entry) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw AciFormatException.forEntry(entry.isEmpty() ? lenient(bytes) : entry, NOT_UTF8);
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
