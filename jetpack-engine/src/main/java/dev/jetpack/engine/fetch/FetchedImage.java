package dev.jetpack.engine.fetch;

import dev.jetpack.engine.fetch.trust.VerifiedSignature;
import dev.jetpack.engine.manifest.ImageReference;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An ACI file that {@link ImageDownloader} made available locally, ready to be imported.
 *
 * @param source what was asked for
 * @param aci the ACI file as served (still compressed)
 * @param origin the URL it came from, if it came over the network
 * @param notModified true when no body was transferred because the cached copy was still current
 * @param verifiedSignature the signer, when the signature was verified (always for a discovered image unless
 *     signature checks were skipped explicitly)
 * @param unverifiedSignature a signature file found next to a path/URL/Maven image, which could not be verified
 *     yet because the trust store is keyed by image name: verify it with
 *     {@link dev.jetpack.engine.fetch.trust.SignatureVerifier} once the manifest's name is known
 * @param requested for a discovered image, the request the manifest's name and labels must match
 */
public record FetchedImage(ImageSource source, Path aci, Optional<URI> origin, boolean notModified,
        Optional<VerifiedSignature> verifiedSignature, Optional<Path> unverifiedSignature,
        Optional<ImageReference> requested) {
}
