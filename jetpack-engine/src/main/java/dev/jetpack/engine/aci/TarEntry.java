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

    /** PATH_MAX of Linux less its NUL: symlink(2) refuses longer targets. */
    private static final int MAX_SYMLINK_TARGET_BYTES = 4095;
    /** XATTR_NAME_MAX and XATTR_SIZE_MAX of Linux. */
    private static final int MAX_XATTR_NAME_BYTES = 255;
    private static final int MAX_XATTR_VALUE_BYTES = 65536;

    /**
     * Refuses extended attributes that no Linux file can carry or that a pax record cannot hold unambiguously
     * (a NUL ends the name for every C reader, an {@code =} ends a pax key): an archive with them is one GNU tar
     * and actool cannot read; and link targets that no link can hold (a NUL byte, an empty or overlong symlink
     * target). The one check for reading and writing archives.
     */
    public void requireStorable() {
        if (linkName.indexOf('\0') >= 0) {
            throw AciFormatException.forEntry(name, "its link target contains a NUL byte, which no link can hold:"
                    + " the archive is damaged or crafted. Archive the tree again");
        }
        if (type == Type.SYMLINK && (linkName.isEmpty()
                || linkName.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SYMLINK_TARGET_BYTES)) {
            throw AciFormatException.forEntry(name, "its symlink target is " + (linkName.isEmpty() ? "empty"
                    : linkName.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + " bytes long") + "; Linux"
                    + " symlinks hold 1 to " + MAX_SYMLINK_TARGET_BYTES + " bytes, so it could not be extracted."
                    + " Fix the link and archive the tree again");
        }
        for (Map.Entry<String, byte[]> xattr : xattrs.entrySet()) {
            String attr = xattr.getKey();
            String problem = null;
            if (attr.indexOf('\0') >= 0) {
                problem = "contains a NUL byte";
            } else if (attr.indexOf('=') >= 0) {
                problem = "contains '=', which ends the key of a pax record";
            } else if (attr.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_XATTR_NAME_BYTES) {
                problem = "is longer than " + MAX_XATTR_NAME_BYTES + " bytes";
            } else if (!attr.matches("(user|trusted|security|system)\\..+")) {
                problem = "is in no namespace Linux knows (user., trusted., security., system.)";
            } else if (xattr.getValue().length > MAX_XATTR_VALUE_BYTES) {
                problem = "has a value of more than " + MAX_XATTR_VALUE_BYTES + " bytes";
            }
            if (problem != null) {
                throw AciFormatException.forEntry(name, "the extended attribute '" + attr.replace('\0', '?') + "' "
                        + problem + ": no file can carry it, and an archive holding it is one that tar tools"
                        + " cannot read. Remove the attribute (setfattr -x) and archive the tree again");
            }
        }
    }

    /**
     * True for extended attributes that belong to overlayfs itself (whiteouts, opaque markers, redirects): they
     * describe a build container's layers, not the image, and must never be written into or restored from one.
     */
    public static boolean isOverlayAttribute(String xattrName) {
        return xattrName.startsWith("user.overlay.") || xattrName.startsWith("trusted.overlay.");
    }
}
