package dev.jetpack.engine.testing;

import dev.jetpack.engine.aci.Compression;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Hand-made tar archives for tests (ACIs, OCI layers, hostile corpora), written with commons-compress exactly as
 * given: absolute names, {@code ..} and odd types are kept, so that readers can be shown to refuse them.
 */
public final class TestTars {
    /** A fixed time for entries whose time a test compares. */
    public static final long MTIME_MILLIS = 1_700_000_000_000L;

    private TestTars() {
    }

    /** Writes the entries of one archive. */
    public interface Entries {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    /** The archive (pax records for long names). */
    public static byte[] tar(Entries entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            entries.write(tar);
        }
        return out.toByteArray();
    }

    public static void file(TarArchiveOutputStream tar, String name, String content) throws IOException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
        entry.setSize(data.length);
        tar.putArchiveEntry(entry);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    /** A file with {@code mode} and {@link #MTIME_MILLIS}. */
    public static void file(TarArchiveOutputStream tar, String name, String content, int mode) throws IOException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
        entry.setSize(data.length);
        entry.setMode(mode);
        entry.setModTime(MTIME_MILLIS);
        tar.putArchiveEntry(entry);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    public static void dir(TarArchiveOutputStream tar, String name) throws IOException {
        tar.putArchiveEntry(new TarArchiveEntry(name, TarConstants.LF_DIR, true));
        tar.closeArchiveEntry();
    }

    /** A directory with {@code mode} and {@link #MTIME_MILLIS}. */
    public static void dir(TarArchiveOutputStream tar, String name, int mode) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_DIR, true);
        entry.setMode(mode);
        entry.setModTime(MTIME_MILLIS);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    /** A symbolic ({@link TarConstants#LF_SYMLINK}) or hard ({@link TarConstants#LF_LINK}) link. */
    public static void link(TarArchiveOutputStream tar, String name, byte type, String target) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
        entry.setLinkName(target);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    /** A character ({@link TarConstants#LF_CHR}) or block ({@link TarConstants#LF_BLK}) device. */
    public static void device(TarArchiveOutputStream tar, String name, byte type, int major, int minor)
            throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
        entry.setDevMajor(major);
        entry.setDevMinor(minor);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    public static byte[] compress(byte[] data, Compression compression) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream compressed = compression.compress(out, 1)) {
            compressed.write(data);
        }
        return out.toByteArray();
    }
}
