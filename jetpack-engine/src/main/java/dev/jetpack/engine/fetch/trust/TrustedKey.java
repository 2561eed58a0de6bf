package dev.jetpack.engine.fetch.trust;

import java.nio.file.Path;
import java.util.List;
import org.bouncycastle.openpgp.PGPPublicKeyRing;

/**
 * A key in the {@link TrustStore}.
 *
 * @param fingerprint the primary key's fingerprint, uppercase hex
 * @param scope what it may sign
 * @param userIds the key's user IDs as the key states them (informational, not verified)
 * @param file where it is stored
 * @param keyRing the key itself
 */
public record TrustedKey(String fingerprint, TrustScope scope, List<String> userIds, Path file,
        PGPPublicKeyRing keyRing) {
    public TrustedKey {
        userIds = List.copyOf(userIds);
    }

    @Override
    public String toString() {
        return fingerprint + (userIds.isEmpty() ? "" : " " + userIds) + " for " + scope;
    }
}
