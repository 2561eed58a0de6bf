package dev.jetpack.engine.aci;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One member of a tar archive, as the ACI code reads and writes it: numeric owners only (names would make the
 * output depend on who runs the tool), the mode without file type bits, and extended attributes as raw bytes.
 *
 * @param name      the path inside the archive, without a trailing slash for directories
 * @param type      what the entry is
 * @param mode      permission bits including setuid, setgid and sticky (07777)
 * @param size      content bytes; 0 for everything but {@link Type#FILE}
 * @param linkName  symlink target, or the archive path of the hard link's target; "" otherwise
 * @param xattrs    extended attribute name (e.g. {@code user.foo}) to value, sorted by name
 */
public record TarEntry(String name, Type type, int mode, long uid, long gid, long size, Instant mtime,
        String linkName, int devMajor, int devMinor, Map<String, byte[]> xattrs) {

    /** The kinds of entries an image may hold. */
    public enum Type {
        FILE, DIRECTORY, SYMLINK, HARDLINK, CHAR_DEVICE, BLOCK_DEVICE, FIFO
    }

    public TarEntry {
        if (type != Type.FILE && size != 0) {
            throw new IllegalArgumentException(type + " entry '" + name + "' cannot have content");
        }
        linkName = linkName == null ? "" : linkName;
        xattrs = xattrs == null || xattrs.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(xattrs));
    }

    /** The same entry under another name (used when transcoding a rootfs tarball into {@code rootfs/}). */
    public TarEntry withName(String newName, String newLinkName) {
        return new TarEntry(newName, type, mode, uid, gid, size, mtime, newLinkName, devMajor, devMinor, xattrs);
    }

    public TarEntry withOwner(long newUid, long newGid) {
        return new TarEntry(name, type, mode, newUid, newGid, size, mtime, linkName, devMajor, devMinor, xattrs);
    }

    public TarEntry withMtime(Instant newMtime) {
        return new TarEntry(name, type, mode, uid, gid, size, newMtime, linkName, devMajor, devMinor, xattrs);
    }

    /**
     * True for extended attributes that belong to overlayfs itself (whiteouts, opaque markers, redirects): they
     * describe a build container's layers, not the image, and must never be written into or restored from one.
     */
    public static boolean isOverlayAttribute(String xattrName) {
        return xattrName.startsWith("user.overlay.") || xattrName.startsWith("trusted.overlay.");
    }
}
