package dev.jetpack.engine.fetch.trust;

import java.util.HexFormat;
import java.util.Locale;

/** OpenPGP fingerprints and key IDs as text: uppercase hex without separators. */
public final class Fingerprints {
    private Fingerprints() {
    }

    /**
     * Normalizes a fingerprint as users paste it ({@code 0x}, spaces, colons, any case) to uppercase hex.
     *
     * @throws TrustException unless it is a full v4 (40 hex digits) or v6 (64) fingerprint; short key IDs can
     *     be forged cheaply and are not accepted
     */
    public static String normalize(String text) {
        String hex = text == null ? "" : text.trim().replaceAll("[\\s:]", "");
        if (hex.startsWith("0x") || hex.startsWith("0X")) {
            hex = hex.substring(2);
        }
        hex = hex.toUpperCase(Locale.ROOT);
        if (!hex.matches("[0-9A-F]{40}|[0-9A-F]{64}")) {
            throw new TrustException("'" + text + "' is not a full OpenPGP key fingerprint: give all 40 hex digits"
                    + " (v4 keys; 64 for v6) as shown by 'gpg --fingerprint'. Short key IDs are not accepted"
                    + " because they can be forged.");
        }
        return hex;
    }

    public static String of(byte[] fingerprint) {
        return HexFormat.of().withUpperCase().formatHex(fingerprint);
    }

    public static String keyId(long keyId) {
        return String.format("%016X", keyId);
    }
}
