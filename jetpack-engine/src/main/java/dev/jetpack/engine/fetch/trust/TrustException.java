package dev.jetpack.engine.fetch.trust;

import dev.jetpack.engine.fetch.FetchException;

/**
 * A key or signature was refused: a bad or missing signature, an unknown signer, a key whose fingerprint is not
 * the expected one. It is a {@link FetchException} so that fetch code treats a rejected image like a failed
 * download (and tries the next discovery endpoint), but it is never ignored: rejection always fails the fetch.
 */
public class TrustException extends FetchException {
    private static final long serialVersionUID = 1L;

    public TrustException(String message) {
        super(message);
    }

    public TrustException(String message, Throwable cause) {
        super(message, cause);
    }
}
