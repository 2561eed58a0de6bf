package dev.jetpack.engine.aci;

import java.nio.charset.StandardCharsets;

/**
 * The one place that decides whether a name in an archive is a safe relative path. Two readings:
 * {@link #normalize} for ACIs (and OCI layers), where every entry has one plain spelling as appc demands, and
 * {@link #normalizeRootfsMember} for the rootfs tarballs base images are made from, read as GNU tar reads them.
 * Both refuse {@code ..}, NUL bytes and components longer than a Linux file name may be.
 */
public final class ArchivePaths {
    /** NAME_MAX of Linux file systems: a longer component cannot be created, so no image may hold one. */
    public static final int MAX_COMPONENT_BYTES = 255;

    private ArchivePaths() {
    }

    /**
     * The name without a leading {@code ./} (as {@code tar -C dir -c .} writes), or "" for the archive's top
     * directory itself ({@code .} or {@code ./}).
     *
     * @param entryName the entry the name belongs to, for the message
     * @throws AciFormatException for absolute names and names with {@code ..}, {@code .} or empty components
     */
    public static String normalize(String name, String entryName) {
        requireNoNul(name, entryName);
        if (name.startsWith("/")) {
            throw AciFormatException.forEntry(entryName, "absolute path '" + name + "': archive entries must be"
                    + " relative, or extracting them would write outside the destination");
        }
        String relative = name;
        while (relative.startsWith("./")) {
            relative = relative.substring(2);
        }
        if (relative.equals(".") || relative.isEmpty()) {
            return "";
        }
        for (String component : relative.split("/", -1)) {
            requirePlainComponent(component, name, entryName);
            if (component.isEmpty() || component.equals(".")) {
                throw AciFormatException.forEntry(entryName, "path '" + name + "' has an empty or '.' component:"
                        + " each entry must have one plain spelling, or duplicates could hide behind variants");
            }
        }
        return relative;
    }

    /**
     * A member name of a rootfs tarball as GNU tar extracts it: leading slashes stripped ({@code /etc/passwd} is
     * {@code etc/passwd}), empty and {@code .} components dropped ({@code ./a//b/} is {@code a/b}); "" for the
     * top directory. {@code ..} stays refused: GNU tar would cut the name at it, which hides what the archive
     * meant, so the user repacks it instead.
     *
     * @param entryName the entry the name belongs to, for the message
     */
    public static String normalizeRootfsMember(String name, String entryName) {
        requireNoNul(name, entryName);
        StringBuilder relative = new StringBuilder();
        for (String component : name.split("/")) {
            if (component.isEmpty() || component.equals(".")) {
                continue;
            }
            requirePlainComponent(component, name, entryName);
            if (relative.length() > 0) {
                relative.append('/');
            }
            relative.append(component);
        }
        return relative.toString();
    }

    private static void requireNoNul(String name, String entryName) {
        if (name.indexOf('\0') >= 0) {
            throw AciFormatException.forEntry(entryName.replace('\0', '?'), "the name '" + name.replace('\0', '?')
                    + "' contains a NUL byte (shown as '?'), which no file name can hold: the archive is damaged or"
                    + " crafted. Archive the tree again");
        }
    }

    private static void requirePlainComponent(String component, String name, String entryName) {
        if (component.equals("..")) {
            throw AciFormatException.forEntry(entryName, "path '" + name + "' contains '..': archive entries must"
                    + " stay inside the destination");
        }
        if (component.getBytes(StandardCharsets.UTF_8).length > MAX_COMPONENT_BYTES) {
            throw AciFormatException.forEntry(entryName, "path '" + name + "' has a component of "
                    + component.getBytes(StandardCharsets.UTF_8).length + " bytes; Linux file names are at most "
                    + MAX_COMPONENT_BYTES + " bytes, so it could not be extracted. Shorten the name");
        }
    }
}
