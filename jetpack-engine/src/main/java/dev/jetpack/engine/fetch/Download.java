package dev.jetpack.engine.fetch;

import dev.jetpack.engine.fetch.http.CacheValidators;
import dev.jetpack.engine.fetch.trust.VerifiedSignature;
import dev.jetpack.engine.store.StagedImage;
import dev.jetpack.engine.store.StoredImage;
import java.net.URI;
import java.util.Optional;

/**
 * What {@link ImageDownloader} got from the network for one URL or name: a new image read into the store's
 * staging area, or the stored image the server confirmed is still current (HTTP 304). Either way its signature,
 * when there was one to check, was verified. Close it: that discards a staged image nobody committed.
 */
public sealed interface Download extends AutoCloseable {
    /** What was asked for. */
    ImageSource source();

    /** The URL the ACI was requested from (before redirects): the key of its fetch record. */
    URI origin();

    /** The signer, when a signature was verified. */
    Optional<VerifiedSignature> signature();

    @Override
    void close();

    /**
     * A body read in one pass into the store's staging area, not yet visible.
     *
     * @param validators the ETag/Last-Modified it came with, for the next conditional request
     */
    record Staged(ImageSource source, URI origin, StagedImage image, Optional<CacheValidators> validators,
            Optional<VerifiedSignature> signature) implements Download {
        @Override
        public void close() {
            image.close();
        }
    }

    /** The server answered 304 for the image this URL gave last time, which is still stored: nothing was read. */
    record NotModified(ImageSource source, URI origin, StoredImage image, Optional<VerifiedSignature> signature)
            implements Download {
        @Override
        public void close() {
        }
    }
}
