package dev.jetpack.engine.io;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The digest of image IDs (appc's {@code sha512-…}), for the digesting streams. */
final class Sha512 {
    private Sha512() {
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-512", e);
        }
    }
}
