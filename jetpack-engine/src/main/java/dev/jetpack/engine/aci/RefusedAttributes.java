package dev.jetpack.engine.aci;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.io.ExtendedAttributeException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The extended attributes an extraction could not set because this host refuses them ({@code security.selinux}
 * where the security module rejects the label, {@code trusted.*} without CAP_SYS_ADMIN, {@code user.*} on a
 * symbolic link, a file system without xattrs). GNU tar {@code --xattrs} warns and goes on in that case, and so
 * do we: the file is kept without the attribute, and the user is told which file and which attribute. The first
 * refusal of each attribute (for each reason) is a warning that names the file; later ones are counted and
 * summed up at the end, so that a rootfs with a label on every file gives a few lines, not thousands.
 */
final class RefusedAttributes {
    private final EngineLog log;
    /** "attribute (errno)" → refusals after the first one, which was logged in full. */
    private final Map<String, Integer> repeats = new TreeMap<>();

    RefusedAttributes(EngineLog log) {
        this.log = log;
    }

    void refused(String entryName, ExtendedAttributeException e) {
        String attribute = e.attribute().replace("\0", "\\0"); // a NUL would cut the log line
        String key = "'" + attribute + "' (errno " + e.errno() + ")";
        Integer seen = repeats.get(key);
        if (seen == null) {
            repeats.put(key, 0);
            log.warn("Extracted '" + entryName + "' without its extended attribute '" + attribute + "', as GNU"
                    + " tar --xattrs does when the host refuses one: " + e.getMessage() + ". The image itself still"
                    + " has the attribute; extract as root on a host that allows it to keep it. Further files"
                    + " refused the same attribute are counted.");
        } else {
            repeats.put(key, seen + 1);
        }
    }

    /** Logs how many more files lost each attribute. */
    void summarize() {
        repeats.forEach((key, count) -> {
            if (count > 0) {
                log.warn(count + " more files were extracted without the extended attribute " + key
                        + " for the same reason.");
            }
        });
    }
}
