package dev.jetpack.engine.aci;

/**
 * The one place that decides whether a name in an archive is a safe relative path. Used for ACIs and for the
 * rootfs tarballs base images are made from.
 */
public final class ArchivePaths {
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
            if (component.equals("..")) {
                throw AciFormatException.forEntry(entryName, "path '" + name + "' contains '..': archive entries must"
                        + " stay inside the destination");
            }
            if (component.isEmpty() || component.equals(".")) {
                throw AciFormatException.forEntry(entryName, "path '" + name + "' has an empty or '.' component:"
                        + " each entry must have one plain spelling, or duplicates could hide behind variants");
            }
        }
        return relative;
    }
}
