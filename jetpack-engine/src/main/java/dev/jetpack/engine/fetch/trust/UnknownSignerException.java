package dev.jetpack.engine.fetch.trust;

import java.util.Optional;

/**
 * An image's signature was made by a key that is not trusted for the image's name. Carries the signer so
 * that a face can offer to trust it.
 */
public class UnknownSignerException extends TrustException {
    private static final long serialVersionUID = 1L;

    private final String imageName;
    private final String keyId;
    private final String fingerprint;

    public UnknownSignerException(String message, String imageName, String keyId, String fingerprint) {
        super(message, new TrustRemedy.TrustKeyForPrefix(imageName, Optional.ofNullable(fingerprint)));
        this.imageName = imageName;
        this.keyId = keyId;
        this.fingerprint = fingerprint;
    }

    public String imageName() {
        return imageName;
    }

    /** The signer's 16-hex-digit key ID (always known). */
    public String keyId() {
        return keyId;
    }

    /** The signer's full fingerprint, when the signature names it (OpenPGP issuer fingerprint subpacket). */
    public Optional<String> fingerprint() {
        return Optional.ofNullable(fingerprint);
    }
}
