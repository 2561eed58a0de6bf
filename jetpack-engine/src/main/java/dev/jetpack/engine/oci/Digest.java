package dev.jetpack.engine.oci;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.jetpack.engine.io.Sha256;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An OCI content digest, {@code algorithm:hex} (image-spec {@code descriptor.md}). Only the registered
 * algorithms sha256 and sha512 are accepted, with their exact lowercase hex length, so that a digest from a
 * registry or a layout can be used as a file name ({@code blobs/<algorithm>/<hex>}) without further checks.
 */
public record Digest(String algorithm, String hex) {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

    public Digest {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(hex, "hex");
        int length = switch (algorithm) {
            case "sha256" -> 64;
            case "sha512" -> 128;
            default -> throw new IllegalArgumentException("digest algorithm '" + algorithm
                    + "' is not supported: OCI digests here must be sha256 or sha512");
        };
        if (hex.length() != length || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("digest '" + algorithm + ":" + hex + "' is malformed: a " + algorithm
                    + " digest has " + length + " lowercase hex digits");
        }
    }

    /** Parses {@code sha256:<64 hex>} or {@code sha512:<128 hex>}. */
    @JsonCreator
    public static Digest parse(String text) {
        Objects.requireNonNull(text, "digest");
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("digest '" + text + "' is malformed: expected algorithm:hex, e.g. sha256:…");
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    /** The sha256 digest of {@code bytes}. */
    public static Digest sha256(byte[] bytes) {
        return new Digest("sha256", HexFormat.of().formatHex(newSha256().digest(bytes)));
    }

    /** A fresh SHA-256 {@link MessageDigest}, for digesting streams; finish with {@link #ofSha256(MessageDigest)}. */
    public static MessageDigest newSha256() {
        return Sha256.newDigest();
    }

    /** The digest a finished SHA-256 {@link MessageDigest} computed. */
    public static Digest ofSha256(MessageDigest digest) {
        return new Digest("sha256", HexFormat.of().formatHex(digest.digest()));
    }

    /** A fresh {@link MessageDigest} for this digest's algorithm, to check content against it. */
    public MessageDigest newMessageDigest() {
        try {
            return MessageDigest.getInstance(algorithm.equals("sha256") ? "SHA-256" : "SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has " + algorithm, e);
        }
    }

    /** Whether a finished {@link MessageDigest} of this algorithm computed this digest. */
    public boolean matches(MessageDigest finished) {
        return hex.equals(HexFormat.of().formatHex(finished.digest()));
    }

    @JsonValue
    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
