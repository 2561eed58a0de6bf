package dev.jetpack.engine.aci;

/**
 * Which device nodes an extraction may create. A device node in an unpacked image is a door into the host:
 * the image's rootfs lies on the host's disk, and anyone who can open e.g. a block device {@code 8:0} or
 * {@code /dev/mem} (char {@code 1:1}) there reads the host's disk or memory. Base images legitimately ship the
 * few harmless character devices every container has, so images from elsewhere get {@link #STANDARD} and only a
 * user's explicit choice allows more.
 */
public enum DevicePolicy {
    /** Every device node (images the user built or trusts). */
    ALL,
    /**
     * Only the character devices every container runtime creates anyway, which give no access to host data:
     * null 1:3, zero 1:5, full 1:7, random 1:8, urandom 1:9, tty 5:0, console 5:1, ptmx 5:2.
     */
    STANDARD,
    /** No device nodes at all. */
    NONE;

    /** True when this policy lets {@code type} {@code major:minor} be created (fifos are always allowed). */
    public boolean allows(TarEntry.Type type, int major, int minor) {
        switch (this) {
            case ALL:
                return true;
            case NONE:
                return false;
            default:
                return type == TarEntry.Type.CHAR_DEVICE && isStandard(major, minor);
        }
    }

    /**
     * The policy a user names: {@code all}, {@code standard} or {@code none}, in any case.
     *
     * @param setting how the user gave it (an option or parameter), for the message
     * @throws dev.jetpack.engine.JetpackException for any other word, listing the accepted ones
     */
    public static DevicePolicy parse(String text, String setting) {
        String wanted = text == null ? "" : text.strip().toUpperCase(java.util.Locale.ROOT);
        for (DevicePolicy policy : values()) {
            if (policy.name().equals(wanted)) {
                return policy;
            }
        }
        throw new dev.jetpack.engine.JetpackException("Invalid " + setting + " '" + text + "': the device policy is"
                + " all (every device node), standard (only null, zero, full, random, urandom, tty, console and ptmx)"
                + " or none.");
    }

    /** The name users write: {@code all}, {@code standard}, {@code none}. */
    public String displayName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Refuses a device entry this policy does not allow, naming it, the rule and the setting that allows it; the
     * one check for ACIs and OCI layers alike.
     *
     * @param allowAll how the user allows every device (e.g. {@code --devices all}), for the message
     */
    public void requireAllowed(TarEntry entry, String allowAll) {
        if (!allows(entry.type(), entry.devMajor(), entry.devMinor())) {
            throw AciFormatException.forEntry(entry.name(), "device nodes are not allowed here (" + entry.type()
                    + " " + entry.devMajor() + ":" + entry.devMinor() + "; device policy " + displayName() + "): a"
                    + " device in an unpacked image gives whoever can open it access to the host's hardware. For an"
                    + " image you made or trust, allow its devices with " + allowAll);
        }
    }

    private static boolean isStandard(int major, int minor) {
        if (major == 1) {
            return minor == 3 || minor == 5 || minor == 7 || minor == 8 || minor == 9;
        }
        return major == 5 && minor >= 0 && minor <= 2;
    }
}
