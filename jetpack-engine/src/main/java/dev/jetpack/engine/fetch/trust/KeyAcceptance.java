package dev.jetpack.engine.fetch.trust;

/**
 * Why a key offered for trust may be accepted. There is no "accept silently": the caller either names the
 * fingerprint it expects (the safe way, from the publisher through another channel) or explicitly opts into
 * trust on first use, which is logged as a warning.
 */
public sealed interface KeyAcceptance {
    /** Accept only the key with this fingerprint. */
    record ExpectedFingerprint(String fingerprint) implements KeyAcceptance {
        public ExpectedFingerprint {
            fingerprint = Fingerprints.normalize(fingerprint);
        }
    }

    /** Accept whatever keys are offered (the user opted in explicitly). */
    record TrustOnFirstUse() implements KeyAcceptance {
    }

    static KeyAcceptance fingerprint(String fingerprint) {
        return new ExpectedFingerprint(fingerprint);
    }

    static KeyAcceptance trustOnFirstUse() {
        return new TrustOnFirstUse();
    }
}
