package dev.jetpack.engine.aci;

import dev.jetpack.engine.JetpackException;

/**
 * An archive (ACI or rootfs tarball) that breaks a rule of the format: bad layout, unsafe names, truncated or
 * corrupt data, unknown compression, or a limit exceeded. The message names the entry and the rule.
 */
public class AciFormatException extends JetpackException {
    private static final long serialVersionUID = 1L;

    public AciFormatException(String message) {
        super(message);
    }

    public AciFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A rule broken by one entry: "entry 'NAME': RULE". */
    public static AciFormatException forEntry(String entryName, String rule) {
        return new AciFormatException("entry '" + entryName + "': " + rule);
    }

    /** A rule broken by one entry, found through {@code cause} (e.g. the read that failed). */
    public static AciFormatException forEntry(String entryName, String rule, Throwable cause) {
        return new AciFormatException("entry '" + entryName + "': " + rule, cause);
    }

    /** The same problem with the archive's origin (a file name, a URL) in front, for the user. */
    public AciFormatException in(String source) {
        return new AciFormatException("Invalid archive " + source + ": " + getMessage(), getCause() == null ? this : getCause());
    }
}
