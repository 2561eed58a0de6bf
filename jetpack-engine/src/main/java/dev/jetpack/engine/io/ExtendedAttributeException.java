package dev.jetpack.engine.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * An extended attribute that could not be listed, read, set or removed: names the file, the attribute and the
 * errno, says in words what the kernel refused and what would allow it.
 */
public final class ExtendedAttributeException extends IOException {
    private static final long serialVersionUID = 1L;

    private static final int EPERM = 1;
    private static final int ENOENT = 2;
    private static final int EIO = 5;
    private static final int E2BIG = 7;
    private static final int EACCES = 13;
    private static final int ENOTDIR = 20;
    private static final int EINVAL = 22;
    private static final int ENOSPC = 28;
    private static final int EROFS = 30;
    private static final int ERANGE = 34;
    private static final int ENAMETOOLONG = 36;
    private static final int ELOOP = 40;
    private static final int ENOTSUP = 95;
    private static final int EDQUOT = 122;
    private static final Map<Integer, String> ERRNO_NAMES = Map.ofEntries(Map.entry(EPERM, "EPERM"),
            Map.entry(ENOENT, "ENOENT"), Map.entry(E2BIG, "E2BIG"), Map.entry(EACCES, "EACCES"),
            Map.entry(ENOTDIR, "ENOTDIR"), Map.entry(ENOSPC, "ENOSPC"), Map.entry(ERANGE, "ERANGE"),
            Map.entry(ENAMETOOLONG, "ENAMETOOLONG"), Map.entry(ELOOP, "ELOOP"), Map.entry(EDQUOT, "EDQUOT"));

    private final transient Path path;
    private final String attribute;
    private final int errno;

    ExtendedAttributeException(String operation, Path path, String attribute, int errno) {
        super("Cannot " + operation + " extended attribute" + (attribute.isEmpty() ? "s" : " '" + attribute + "'")
                + (operation.equals("set") ? " on " : " of ") + path + ": " + explain(attribute, errno));
        this.path = path;
        this.attribute = attribute;
        this.errno = errno;
    }

    /** A name the kernel would refuse anyway, refused before the call. */
    ExtendedAttributeException(Path path, String attribute, String rule) {
        super("Invalid extended attribute name '" + attribute.replace("\0", "\\0") + "' for " + path + ": " + rule);
        this.path = path;
        this.attribute = attribute;
        this.errno = EINVAL;
    }

    /** The file the call was about. */
    public Path path() {
        return path;
    }

    /** The attribute's full name ({@code security.capability}); empty for a failed listing. */
    public String attribute() {
        return attribute;
    }

    /** The errno the kernel returned. */
    public int errno() {
        return errno;
    }

    /**
     * True when this host, file system or process refuses the attribute itself (no privilege for its namespace,
     * a namespace the file system or file type does not store, a value the kernel rejects), as opposed to a
     * failure of the disk or the tree (full, read-only, I/O error, file gone), after which nothing should go on.
     */
    public boolean refusedByHost() {
        return errno == EPERM || errno == EACCES || errno == ENOTSUP || errno == EINVAL || errno == E2BIG
                || errno == ERANGE;
    }

    private static String explain(String attribute, int errno) {
        switch (errno) {
            case EPERM:
            case EACCES:
                return "not permitted (" + name(errno) + "): " + privilegeHint(attribute);
            case ENOTSUP:
                return "not supported (EOPNOTSUPP): the file system does not store this attribute's namespace, or"
                        + " not on this kind of file (Linux keeps user.* attributes only on regular files and"
                        + " directories)";
            case EINVAL:
                return "invalid argument (EINVAL): the kernel refused the value (a malformed ACL, or a label this"
                        + " host's security module does not accept)";
            case E2BIG:
            case ERANGE:
                return "too large (" + name(errno) + "): the name or value exceeds what this file system stores";
            case ENOSPC:
            case EDQUOT:
                return "no space left for extended attributes (" + name(errno) + "): free space on the file system";
            case EROFS:
                return "read-only file system (EROFS)";
            case ENOENT:
            case ENOTDIR:
                return "the file does not exist (" + name(errno) + ")";
            case ENAMETOOLONG:
            case ELOOP:
                return "the path cannot be resolved (" + name(errno) + ")";
            case EIO:
                return "I/O error (EIO)";
            default:
                return "errno " + errno;
        }
    }

    private static String privilegeHint(String attribute) {
        if (attribute.startsWith("trusted.")) {
            return "trusted.* attributes need CAP_SYS_ADMIN (run as root, outside a user namespace)";
        }
        if (attribute.equals("security.capability")) {
            return "file capabilities need CAP_SETFCAP (run as root)";
        }
        if (attribute.startsWith("security.")) {
            return "security.* attributes need CAP_SYS_ADMIN, and the host's security module (SELinux, Smack)"
                    + " may refuse the label";
        }
        if (attribute.startsWith("system.posix_acl_")) {
            return "ACLs may only be set by the file's owner or with CAP_FOWNER";
        }
        if (attribute.startsWith("user.")) {
            return "Linux allows user.* attributes only on regular files and directories, and only to who may"
                    + " write the file";
        }
        return "the process lacks the privilege for this namespace";
    }

    private static String name(int errno) {
        return ERRNO_NAMES.getOrDefault(errno, "errno " + errno);
    }
}
