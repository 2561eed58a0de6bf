package dev.jetpack.engine.aci;

import dev.jetpack.engine.JetpackException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An appc image ID: {@code sha512-} followed by the 128 lowercase hex digits of the SHA-512 of the whole
 * uncompressed image tar. Short forms (see {@link #shortForm()}) are for display only; lookups by prefix are
 * the store's business.
 */
public record ImageId(String value) implements Comparable<ImageId> {
    public static final String PREFIX = "sha512-";
    private static final Pattern FULL = Pattern.compile("sha512-[0-9a-f]{128}");

    public ImageId {
        if (value == null || !FULL.matcher(value).matches()) {
            throw new JetpackException("Invalid image ID '" + value + "': an image ID is 'sha512-' followed by 128"
                    + " lowercase hex digits (the SHA-512 of the uncompressed ACI tar). Give the full ID as the"
                    + " list of stored images shows it, or as written to the .aci.id file.");
        }
    }

    public static ImageId parse(String value) {
        return new ImageId(value == null ? null : value.trim());
    }

    public static boolean isValid(String value) {
        return value != null && FULL.matcher(value).matches();
    }

    public static ImageId ofDigest(byte[] sha512) {
        if (sha512.length != 64) {
            throw new IllegalArgumentException("a SHA-512 digest has 64 bytes, got " + sha512.length);
        }
        return new ImageId(PREFIX + HexFormat.of().formatHex(sha512).toLowerCase(Locale.ROOT));
    }

    /** The 128 hex digits without the algorithm prefix. */
    public String hex() {
        return value.substring(PREFIX.length());
    }

    /** {@code sha512-} and the first 32 hex digits, as appc tools display IDs. */
    public String shortForm() {
        return value.substring(0, PREFIX.length() + 32);
    }

    @Override
    public int compareTo(ImageId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
