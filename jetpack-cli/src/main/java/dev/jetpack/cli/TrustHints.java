package dev.jetpack.cli;

import dev.jetpack.engine.fetch.trust.TrustException;
import dev.jetpack.engine.fetch.trust.TrustRemedy;

/**
 * The command line's spelling of the fix for a refused key or signature. The engine's message names the fix as a
 * concept ("trust the key for the prefix"), because Maven users read it too; here it becomes the command to run.
 */
final class TrustHints {
    private TrustHints() {
    }

    /** " Run: jetpack trust ..." for a failure whose cause carries a trust remedy; empty otherwise. */
    static String forFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TrustException trust && trust.remedy().isPresent()) {
                return " " + spell(trust.remedy().get());
            }
        }
        return "";
    }

    static String spell(TrustRemedy remedy) {
        if (remedy instanceof TrustRemedy.TrustKeyForPrefix key) {
            return "Run: jetpack trust -prefix " + key.prefix() + " -fingerprint "
                    + key.fingerprint().orElse("FINGERPRINT") + " KEY-URL";
        }
        return "'jetpack trust' lists the trusted keys with their fingerprints.";
    }
}
