package dev.jetpack.engine.fetch.trust;

import java.util.Objects;
import java.util.Optional;

/**
 * The fix for a refused key or signature, as a value: the engine's message says it in words that hold for
 * every face, and each face (command line, Maven plugin) may add how it is done there.
 */
public sealed interface TrustRemedy {
    /**
     * Trust a key for {@code prefix}, after checking its fingerprint with the publisher.
     *
     * @param fingerprint the key's fingerprint, when the engine knows which key it is (the signer's)
     */
    record TrustKeyForPrefix(String prefix, Optional<String> fingerprint) implements TrustRemedy {
        public TrustKeyForPrefix {
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(fingerprint, "fingerprint");
        }
    }

    /** List the trusted keys and pick one of their fingerprints. */
    record ListTrustedKeys() implements TrustRemedy {
    }
}
