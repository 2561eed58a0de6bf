package dev.jetpack.engine.aci;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ACLs and SELinux labels as tar writers store them in pax records, turned into the extended attributes the
 * kernel keeps them in, so that an image carries them the appc/GNU tar way ({@code SCHILY.xattr.*}):
 *
 * <ul>
 *   <li>{@code SCHILY.acl.access} / {@code SCHILY.acl.default} (GNU tar {@code --acls}, star, bsdtar): POSIX.1e
 *       ACL text, entries separated by newlines or commas, {@code tag:qualifier:perms} with star's optional
 *       {@code :id} at the end, become {@code system.posix_acl_access} / {@code system.posix_acl_default} in the
 *       kernel's binary form. A qualifier that is a name and carries no id is looked up in the host's
 *       {@code /etc/passwd} or {@code /etc/group}, as GNU tar and setfacl do;</li>
 *   <li>{@code RHT.security.selinux} (GNU tar {@code --selinux}) becomes {@code security.selinux}, NUL-terminated
 *       as the kernel returns it.</li>
 * </ul>
 *
 * An xattr record for the same attribute ({@code SCHILY.xattr.system.posix_acl_access}) wins. With an access ACL
 * that has a mask, the mode's group bits are the mask (that is what {@code ls -l} shows on Linux; bsdtar stores
 * the owning group's bits instead).
 */
final class PaxAcl {
    static final String ACCESS_XATTR = "system.posix_acl_access";
    static final String DEFAULT_XATTR = "system.posix_acl_default";
    static final String SELINUX_XATTR = "security.selinux";

    private static final int VERSION = 2;
    private static final int USER_OBJ = 0x01;
    private static final int USER = 0x02;
    private static final int GROUP_OBJ = 0x04;
    private static final int GROUP = 0x08;
    private static final int MASK = 0x10;
    private static final int OTHER = 0x20;
    private static final long UNDEFINED_ID = 0xffffffffL;

    private PaxAcl() {
    }

    /** Adds the attributes the ACL and SELinux records of one entry stand for to {@code xattrs}. */
    static void addAttributes(Map<String, byte[]> records, Map<String, byte[]> xattrs, String entry) {
        addAcl(records.get("SCHILY.acl.access"), ACCESS_XATTR, xattrs, entry);
        addAcl(records.get("SCHILY.acl.default"), DEFAULT_XATTR, xattrs, entry);
        byte[] label = records.get("RHT.security.selinux");
        if (label != null && label.length > 0) {
            byte[] value = label[label.length - 1] == 0 ? label : java.util.Arrays.copyOf(label, label.length + 1);
            xattrs.putIfAbsent(SELINUX_XATTR, value);
        }
    }

    /** The mode with its group bits taken from the access ACL's mask, when there is one. */
    static int applyMask(int mode, Map<String, byte[]> xattrs, String entry) {
        byte[] acl = xattrs.get(ACCESS_XATTR);
        if (acl == null || acl.length < 4 || (acl.length - 4) % 8 != 0) {
            return mode;
        }
        ByteBuffer buffer = ByteBuffer.wrap(acl).order(ByteOrder.LITTLE_ENDIAN);
        buffer.getInt();
        while (buffer.hasRemaining()) {
            int tag = buffer.getShort() & 0xffff;
            int perms = buffer.getShort() & 0xffff;
            buffer.getInt();
            if (tag == MASK) {
                return (mode & ~070) | ((perms & 07) << 3);
            }
        }
        return mode;
    }

    private static void addAcl(byte[] text, String xattr, Map<String, byte[]> xattrs, String entry) {
        if (text == null || xattrs.containsKey(xattr)) {
            return;
        }
        List<long[]> entries = new ArrayList<>();
        for (String line : new String(text, StandardCharsets.UTF_8).split("[,\n]")) {
            int comment = line.indexOf('#');
            String item = (comment >= 0 ? line.substring(0, comment) : line).strip();
            if (!item.isEmpty()) {
                entries.add(parseEntry(item, xattr, entry));
            }
        }
        if (entries.isEmpty()) {
            return;
        }
        boolean named = entries.stream().anyMatch(e -> e[0] == USER || e[0] == GROUP);
        boolean masked = entries.stream().anyMatch(e -> e[0] == MASK);
        if (xattr.equals(ACCESS_XATTR) && !named && !masked) {
            return; // the three base entries are the mode itself: no ACL on disk either
        }
        if (named && !masked) {
            throw AciFormatException.forEntry(entry, "the ACL in " + recordOf(xattr) + " names users or groups but"
                    + " has no mask entry, which the kernel requires: the archive is damaged. Archive it again");
        }
        entries.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[2]));
        ByteBuffer buffer = ByteBuffer.allocate(4 + 8 * entries.size()).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(VERSION);
        for (long[] e : entries) {
            buffer.putShort((short) e[0]).putShort((short) e[1]).putInt((int) e[2]);
        }
        xattrs.put(xattr, buffer.array());
    }

    /** {@code tag:qualifier:perms[:id]} → {tag, perms, id}. */
    private static long[] parseEntry(String item, String xattr, String entry) {
        String[] parts = item.split(":", -1);
        if (parts.length < 3 || parts.length > 4) {
            throw badAcl(item, xattr, entry);
        }
        String qualifier = parts[1];
        int perms = perms(parts[2], item, xattr, entry);
        int tag;
        switch (parts[0]) {
            case "user", "u" -> tag = qualifier.isEmpty() ? USER_OBJ : USER;
            case "group", "g" -> tag = qualifier.isEmpty() ? GROUP_OBJ : GROUP;
            case "mask", "m" -> tag = MASK;
            case "other", "o" -> tag = OTHER;
            default -> throw badAcl(item, xattr, entry);
        }
        long id = UNDEFINED_ID;
        if (tag == USER || tag == GROUP) {
            String number = parts.length == 4 ? parts[3] : qualifier;
            if (number.matches("[0-9]{1,10}") && Long.parseLong(number) < UNDEFINED_ID) {
                id = Long.parseLong(number);
            } else {
                id = HostAccounts.id(tag == USER ? HostAccounts.PASSWD : HostAccounts.GROUP, qualifier)
                        .orElseThrow(() -> AciFormatException.forEntry(entry, "the ACL in " + recordOf(xattr)
                                + " names the " + (tag == USER ? "user" : "group") + " '" + qualifier + "', which"
                                + " neither has a numeric id in the record nor exists on this host. Archive the"
                                + " tree again with numeric ids (bsdtar and star store them), or create the "
                                + (tag == USER ? "user" : "group") + " here"));
            }
        }
        return new long[] {tag, perms, id};
    }

    private static int perms(String text, String item, String xattr, String entry) {
        int perms = 0;
        for (char c : text.toCharArray()) {
            switch (c) {
                case 'r' -> perms |= 4;
                case 'w' -> perms |= 2;
                case 'x' -> perms |= 1;
                case '-' -> {
                }
                default -> throw badAcl(item, xattr, entry);
            }
        }
        return perms;
    }

    private static AciFormatException badAcl(String item, String xattr, String entry) {
        return AciFormatException.forEntry(entry, "'" + item + "' in " + recordOf(xattr) + " is not an ACL entry"
                + " (tag:qualifier:perms, e.g. user:1000:r-x): the archive is damaged. Archive the tree again");
    }

    private static String recordOf(String xattr) {
        return xattr.equals(ACCESS_XATTR) ? "pax record SCHILY.acl.access" : "pax record SCHILY.acl.default";
    }

    /** Name → id from the host's account files, read once (what getpwnam/getgrnam give with files only). */
    private static final class HostAccounts {
        static final Path PASSWD = Path.of("/etc/passwd");
        static final Path GROUP = Path.of("/etc/group");
        private static final Map<Path, Map<String, Long>> CACHE = new HashMap<>();

        static synchronized java.util.Optional<Long> id(Path file, String name) {
            Map<String, Long> ids = CACHE.computeIfAbsent(file, HostAccounts::read);
            return java.util.Optional.ofNullable(ids.get(name));
        }

        private static Map<String, Long> read(Path file) {
            Map<String, Long> ids = new HashMap<>();
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] fields = line.split(":", -1);
                    if (fields.length >= 3 && fields[2].matches("[0-9]{1,10}")) {
                        ids.putIfAbsent(fields[0], Long.parseLong(fields[2]));
                    }
                }
            } catch (IOException e) {
                return ids; // no account file: names cannot be resolved, the caller says so
            }
            return ids;
        }
    }
}
