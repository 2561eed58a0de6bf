package dev.jetpack.engine.fetch.trust;

import java.util.List;

/**
 * A good signature by a trusted key.
 *
 * @param fingerprint the signer's primary key fingerprint (uppercase hex), also when a subkey signed
 * @param userIds the signer's user IDs as its key states them
 * @param scope why the key is trusted for the image
 */
public record VerifiedSignature(String fingerprint, List<String> userIds, TrustScope scope) {
    public VerifiedSignature {
        userIds = List.copyOf(userIds);
    }
}
