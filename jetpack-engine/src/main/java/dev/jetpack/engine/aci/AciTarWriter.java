package dev.jetpack.engine.aci;

import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.aci.compress.AbortableOutputStream;
import dev.jetpack.engine.aci.compress.BlockCompressingOutputStream;
import dev.jetpack.engine.io.BackgroundDigestingOutputStream;
import dev.jetpack.engine.io.CountingOutputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes an ACI entry by entry in one pass: tar → SHA-512 (the image ID) → compressor → the caller's stream.
 * {@link AciWriter} feeds it from a directory, the base image maker from a rootfs tarball.
 *
 * <p>A compressed archive is a series of independently compressed blocks (xz streams, gzip members, bzip2 streams,
 * which every reader of those formats decodes as one file). This class knows where each entry starts in the tar
 * and lets a {@link BlockCutter} end blocks at entry boundaries, so that the blocks, and with a
 * {@link dev.jetpack.engine.aci.compress.BlockCache} their reuse, depend on the tree and never on offsets.
 *
 * <p>Entries are written as POSIX tar with numeric owners only and no user/group names, atime or ctime, so the
 * bytes depend on the content alone. Mtimes are stored in whole seconds (the sub-second part is dropped). Long
 * names, big numbers, mtimes before 1970 or after 2242 and extended attributes go into pax records that this class
 * writes itself (commons-compress would put the current user's name into every pax header entry, and can only write
 * text values); the records are sorted, so the output is reproducible.
 */
public final class AciTarWriter implements Closeable {
    private static final int BUFFER = 64 * 1024;
    private static final int NAME_FIELD = 100;
    private static final int RECORD = 512;
    private static final long MAX_OCTAL_11 = 077777777777L;
    private static final long MAX_OCTAL_7 = 07777777L;

    private static final int END_OF_ARCHIVE = 2 * 512;
    private static final int TAR_BLOCK = 10240;

    private final CountingOutputStream fileCounter;
    private final BackgroundDigestingOutputStream tarDigest;
    private final TarArchiveOutputStream tar;
    private final OutputStream compressor;
    /** Null for an uncompressed archive: there are no blocks to cut. */
    private final BlockCompressingOutputStream blocks;
    private final BlockCutter cutter;
    private final byte[] copyBuffer = new byte[BUFFER];
    /** The tar offset of the next entry: what commons-compress has taken in, including its unflushed record. */
    private long entryOffset;
    private boolean manifestWritten;
    private boolean finished;

    private AciTarWriter(OutputStream target, WriterOptions options) throws IOException {
        fileCounter = new CountingOutputStream(target);
        OutputStream file = new BufferedOutputStream(fileCounter, BUFFER);
        Compression compression = options.compression();
        if (compression == Compression.NONE) {
            blocks = null;
            cutter = null;
            compressor = file;
        } else {
            int threads = options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
            blocks = new BlockCompressingOutputStream(file, compression.blockEncoder(options.level()),
                    options.blockCache(), threads);
            BlockSizes sizes = options.blockSizes() != null ? options.blockSizes() : compression.blockSizes();
            cutter = new BlockCutter(sizes, blocks::cutAt);
            compressor = blocks;
        }
        tarDigest = new BackgroundDigestingOutputStream(compressor);
        tar = new TarArchiveOutputStream(tarDigest, TAR_BLOCK, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_TRUNCATE); // the full name is in our pax record
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR); // the exact value is in our pax record
    }

    /**
     * Starts an ACI on {@code target}; {@link #finish()} completes it. {@code target} is never closed here. A
     * compressed archive is written as independent blocks cut at entry boundaries (see {@link BlockCutter}),
     * without a block cache.
     *
     * @param level   compression level, -1 for the compression's default
     * @param threads compression threads, or {@link Compression#ALL_CORES}
     */
    public static AciTarWriter open(OutputStream target, Compression compression, int level, int threads)
            throws IOException {
        return open(target, WriterOptions.builder().compression(compression).level(level).threads(threads).build());
    }

    /**
     * Starts an ACI on {@code target} with the compression, level, threads, block sizes and block cache of
     * {@code options}; {@link #finish()} completes it. {@code target} is never closed here.
     */
    public static AciTarWriter open(OutputStream target, WriterOptions options) throws IOException {
        return new AciTarWriter(target, options);
    }

    /** Writes the {@code manifest} entry (mode 0644, owned by 0:0). Call it once, before any rootfs entry. */
    public void writeManifest(byte[] manifestJson, Instant mtime) throws IOException {
        if (manifestWritten) {
            throw new IllegalStateException("the manifest was already written");
        }
        manifestWritten = true;
        put(new TarEntry("manifest", TarEntry.Type.FILE, 0644, 0, 0, manifestJson.length, mtime, "", 0, 0, Map.of()),
                new java.io.ByteArrayInputStream(manifestJson), true);
    }

    /**
     * Writes one rootfs entry; {@code content} supplies exactly {@code entry.size()} bytes for a file (null
     * otherwise). Its name must be {@code rootfs} or start with {@code rootfs/}.
     */
    public void write(TarEntry entry, InputStream content) throws IOException {
        if (!manifestWritten) {
            throw new IllegalStateException("write the manifest first: appc tools expect it at the start");
        }
        if (!entry.name().equals("rootfs") && !entry.name().startsWith("rootfs/")) {
            throw new IllegalArgumentException("ACI entry outside rootfs/: " + entry.name());
        }
        put(entry, content, false);
    }

    /** Bytes of uncompressed tar written so far (for progress reports). */
    public long tarBytes() {
        return tarDigest.count();
    }

    /** Ends the archive, flushes the compressor, and returns the image ID and sizes. */
    public AciWriter.Result finish() throws IOException {
        if (!manifestWritten) {
            throw new IllegalStateException("an ACI needs its manifest");
        }
        finished = true;
        tar.close(); // writes the end-of-archive blocks, finishes the compressor; the target stays open
        long expected = (entryOffset + END_OF_ARCHIVE + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
        if (tarDigest.count() != expected) {
            // the block cuts were placed by this count: a mismatch would mean commons-compress wrote records
            // that this class did not account for
            throw new IllegalStateException("the tar has " + tarDigest.count() + " bytes where its entries account"
                    + " for " + expected);
        }
        BlockCompressingOutputStream.Stats stats = blocks != null ? blocks.stats()
                : new BlockCompressingOutputStream.Stats(0, 0, 0);
        return new AciWriter.Result(ImageId.ofDigest(tarDigest.digest()), tarDigest.count(), fileCounter.count(),
                stats.blocks(), stats.reused());
    }

    /** Abandons an unfinished archive (the caller discards what was written); does not close the target. */
    @Override
    public void close() {
        if (!finished) {
            tarDigest.abort();
            if (compressor instanceof AbortableOutputStream abortable) {
                abortable.abort(); // stop compression threads or the xz process; the output is discarded anyway
            }
            tarDigest.awaitAbort();
        }
        finished = true;
    }

    private void put(TarEntry entry, InputStream content, boolean ownBlock) throws IOException {
        if (finished) {
            throw new IllegalStateException("the archive is finished");
        }
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
        long headerBytes = (paxData == null ? 0 : RECORD + BlockCutter.padded(paxData.length)) + RECORD;
        long dataBytes = entry.type() == TarEntry.Type.FILE ? entry.size() : 0;
        if (tarDigest.count() > entryOffset) {
            throw new IllegalStateException("the tar is at " + tarDigest.count() + " bytes, past the entry offset "
                    + entryOffset + " this class counted");
        }
        if (cutter != null) {
            cutter.entry(tarName, entryOffset, headerBytes, dataBytes, ownBlock);
        }
        entryOffset += headerBytes + BlockCutter.padded(dataBytes);
        if (paxData != null) {
            writePax(tarName, paxData, headerSeconds);
        }

        TarArchiveEntry header = new TarArchiveEntry(tarName, typeFlag(entry.type()), true);
        header.setUserName("");
        header.setGroupName("");
        header.setMode(entry.mode() & 07777);
        header.setUserId(Math.max(0, Math.min(entry.uid(), MAX_OCTAL_7)));
        header.setGroupId(Math.max(0, Math.min(entry.gid(), MAX_OCTAL_7)));
        header.setModTime(headerSeconds * 1000);
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

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
