package dev.jetpack.engine.fetch;

import java.nio.file.Path;

/**
 * Verifies a detached, ASCII-armored OpenPGP signature over an ACI file exactly as served, for the image name
 * it was fetched as (trust is per name prefix). Throws a {@link FetchException} (an unknown signer, a bad
 * signature) to refuse the image.
 */
@FunctionalInterface
public interface SignatureCheck {
    void verify(String imageName, Path aciFile, byte[] armoredSignature);
}
