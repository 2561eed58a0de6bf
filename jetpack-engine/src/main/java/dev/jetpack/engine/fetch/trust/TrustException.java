package dev.jetpack.engine.fetch.trust;

import dev.jetpack.engine.fetch.FetchException;
import java.util.Optional;

/**
 * A key or signature was refused: a bad or missing signature, an unknown signer, a key whose fingerprint is not
 * the expected one. It is a {@link FetchException} so that fetch code treats a rejected image like a failed
 * download (and tries the next discovery endpoint), but it is never ignored: rejection always fails the fetch.
 */
public class TrustException extends FetchException {
    private static final long serialVersionUID = 1L;

    /** What the user can do about it, for a face to spell in its own terms (a command, a parameter). */
    private final transient TrustRemedy remedy;

    public TrustException(String message) {
        this(message, (TrustRemedy) null);
    }

    public TrustException(String message, Throwable cause) {
        super(message, cause);
        this.remedy = null;
    }

    /** @param remedy what the message tells the user to do, typed; null when there is nothing to do */
    public TrustException(String message, TrustRemedy remedy) {
        super(message);
        this.remedy = remedy;
    }

    /**
     * The fix the message names as a concept ("trust the key for the prefix"), so that the command line can add
     * its command and the Maven plugin its own words, while the engine's message names neither.
     */
    public Optional<TrustRemedy> remedy() {
        return Optional.ofNullable(remedy);
    }
}
