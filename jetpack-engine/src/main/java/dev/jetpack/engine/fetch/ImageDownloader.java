package dev.jetpack.engine.fetch;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.fetch.discovery.AppcDiscovery;
import dev.jetpack.engine.fetch.discovery.DiscoveredEndpoints;
import dev.jetpack.engine.fetch.http.CacheValidators;
import dev.jetpack.engine.fetch.http.ConditionalBody;
import dev.jetpack.engine.fetch.http.HttpFetcher;
import dev.jetpack.engine.fetch.http.HttpStream;
import dev.jetpack.engine.fetch.http.SafeUris;
import dev.jetpack.engine.fetch.trust.SignatureVerifier;
import dev.jetpack.engine.fetch.trust.SignatureVerifier.PendingVerification;
import dev.jetpack.engine.fetch.trust.VerifiedSignature;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.ImageReference;
import dev.jetpack.engine.store.ImageStore;
import dev.jetpack.engine.store.ImportOptions;
import dev.jetpack.engine.store.StagedImage;
import dev.jetpack.engine.store.StoredImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Brings the ACI of a URL or of a discovered name from the network into the store's staging area in ONE pass:
 * the body streams from the socket through the signature check and, inside {@link ImageStore#stage}, into the
 * staging {@code image.aci}, the decompressor, SHA-512 and the unpacker at once. Memory does not grow with the
 * image and no other copy is written. The result is verified but not yet visible: {@link ImageFetcher} checks
 * name and labels and commits it.
 *
 * <ul>
 *   <li>a name is discovered; for each endpoint in turn the (small) signature is fetched and its signer checked
 *       <em>before</em> the ACI is requested, then the ACI's bytes are verified as they stream by; a failing
 *       endpoint (download error, unreadable body, rejected signature) makes the next one be tried, and when all
 *       fail the fetch fails;</li>
 *   <li>a URL's signature {@code URL.asc} is fetched first when the server has one; its signer can only be
 *       matched to the name in the image's manifest, so that check comes once the body is read.</li>
 * </ul>
 *
 * The request for an ACI is conditional when the same URL gave an image that is still stored: the server may
 * answer 304 and that image is used without any body transfer (its signature is then checked against the
 * stored bytes).
 */
public final class ImageDownloader {
    private static final long MAX_SIGNATURE_BYTES = 64 * 1024;

    private final HttpFetcher http;
    private final AppcDiscovery discovery;
    private final SignatureVerifier verifier;
    private final ImageStore store;
    private final FetchRecords records;
    private final EngineLog log;

    public ImageDownloader(HttpFetcher http, AppcDiscovery discovery, SignatureVerifier verifier, ImageStore store,
            EngineLog log) {
        this.http = http;
        this.discovery = discovery;
        this.verifier = verifier;
        this.store = store;
        this.records = FetchRecords.of(store, log);
        this.log = log;
    }

    /**
     * Downloads a {@link ImageSource.Url} or {@link ImageSource.Named} image into the store's staging area (or
     * finds it unchanged in the store). The caller closes the result.
     *
     * @throws FetchException when the URL cannot be had, discovery finds nothing, the body is truncated, stalls
     *     or is not an ACI, or (for a name, or a URL with a signature) no valid signature by a key trusted for the
     *     name exists; nothing is left in the store then
     */
    public Download download(ImageSource source, FetchOptions options) {
        if (source instanceof ImageSource.Named named) {
            return fetchDiscovered(named, options);
        }
        if (source instanceof ImageSource.Url url) {
            return fetchUrl(url, options);
        }
        throw new IllegalArgumentException("Only URLs and names are downloaded; " + source + " is read in place");
    }

    /**
     * Commits a staged download ({@link ImageStore#commit}: the check in {@code options}, dependencies,
     * rendering) and records which image its URL gave, with the validators for the next conditional request.
     */
    public StoredImage commit(Download.Staged download, ImportOptions options) {
        StoredImage image = store.commit(download.image(), options);
        records.remember(download.origin().toString(), image, download.validators(), options.source());
        return image;
    }

    private Download fetchUrl(ImageSource.Url url, FetchOptions options) {
        String display = SafeUris.display(url.uri());
        Optional<PendingVerification> pending = urlSignature(url.uri(), display, options);
        return fetchBody(url, url.uri(), "ACI " + display, display, pending, ImageManifest::name, options);
    }

    /** {@code URL.asc}, begun before the body is requested; empty (with a warning) when the server has none. */
    private Optional<PendingVerification> urlSignature(URI uri, String display, FetchOptions options) {
        URI signatureUri = URI.create(uri + ".asc");
        byte[] signature;
        try {
            signature = http.fetchBytes(signatureUri, "the signature of " + display, MAX_SIGNATURE_BYTES);
        } catch (FetchException e) {
            if (e.status().isEmpty() || e.status().getAsInt() != 404) {
                throw e;
            }
            if (options.requireSignature()) {
                throw new FetchException("A signature is required but " + display + " has none (no " + display
                        + ".asc). Ask its publisher for a signature, fetch the image by name through discovery, or"
                        + " fetch without requiring signatures.");
            }
            log.warn("ACI " + display + " has no signature at " + SafeUris.display(signatureUri) + "; it is not"
                    + " verified (only TLS protects it). Use discovery or require signatures to be sure of its"
                    + " origin.");
            return Optional.empty();
        }
        return Optional.of(verifier.beginForAnyName(display, signature));
    }

    private Download fetchDiscovered(ImageSource.Named named, FetchOptions options) {
        ImageReference reference = named.reference();
        List<DiscoveredEndpoints> endpoints = discovery.discover(reference, options.discovery());
        if (options.insecureSkipSignature()) {
            log.warn("Signature checks are OFF for " + reference + " (insecure option): the image is accepted"
                    + " whoever made it.");
        }
        return AppcDiscovery.firstSuccessful(endpoints, endpoint -> {
            Optional<PendingVerification> pending = Optional.empty();
            if (!options.insecureSkipSignature()) {
                byte[] signature = http.fetchBytes(endpoint.signature(), "the signature of " + reference,
                        MAX_SIGNATURE_BYTES);
                // Checks the signer now, so an untrusted image fails before its (large) body is requested.
                pending = Optional.of(verifier.begin(reference.name(), signature));
            }
            try {
                return fetchBody(named, endpoint.aci(), "ACI " + reference, reference.toString(), pending,
                        manifest -> reference.name(), options);
            } catch (FetchException e) {
                throw e;
            } catch (JetpackException e) {
                // An unreadable body is this endpoint's failure like a broken download: the next one may serve
                // the image intact.
                throw new FetchException(endpoint.aci(), -1, "The ACI of " + reference + " from "
                        + SafeUris.display(endpoint.aci()) + " could not be read: " + e.getMessage(), e);
            }
        }, log);
    }

    /**
     * Requests {@code uri} (conditionally, when it gave a still-stored image before) and stages the body.
     *
     * @param signedName the name the signature must be trusted for, given the image's manifest
     */
    private Download fetchBody(ImageSource source, URI uri, String what, String signed,
            Optional<PendingVerification> pending, Function<ImageManifest, String> signedName,
            FetchOptions options) {
        Optional<FetchRecords.Entry> record = records.lookup(uri.toString());
        Optional<StoredImage> known = record.flatMap(entry -> store.get(entry.id()));
        // Validators go out only while the image they stand for is stored, so a 304 can always be answered.
        Optional<CacheValidators> validators = known.flatMap(image -> record.get().validators());
        ConditionalBody answer = http.open(uri, validators, what, options.progress());
        if (answer instanceof ConditionalBody.NotModified) {
            Optional<StoredImage> still = store.get(known.orElseThrow().id());
            if (still.isPresent()) {
                StoredImage image = still.get();
                Optional<VerifiedSignature> signature = pending.map(verification ->
                        verifyStored(verification, image, signedName.apply(image.manifest()), signed));
                return new Download.NotModified(source, uri, image, signature);
            }
            // Removed from the store since the lookup: the body is needed after all.
            answer = http.open(uri, Optional.empty(), what, options.progress());
        }
        try (HttpStream body = ((ConditionalBody.Modified) answer).body()) {
            InputStream in = pending.isPresent() ? pending.get().wrap(body) : body;
            StagedImage staged = store.stage(in, SafeUris.display(body.uri()), options.readerOptions());
            try {
                Optional<VerifiedSignature> signature = pending.map(verification ->
                        logged(verification.finish(signedName.apply(staged.manifest())), signed,
                                signedName.apply(staged.manifest())));
                return new Download.Staged(source, uri, staged, body.validators(), signature);
            } catch (RuntimeException e) {
                staged.close();
                throw e;
            }
        }
    }

    /** A 304 reuses the stored bytes, which are the bytes the server serves: the signature must match them. */
    private VerifiedSignature verifyStored(PendingVerification verification, StoredImage image, String name,
            String signed) {
        try (InputStream in = verification.wrap(Files.newInputStream(image.aciFile()))) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new FetchException("Could not read the stored " + image.aciFile() + " of " + image.describe()
                    + " to verify its signature: " + e + ". Remove the image and fetch it again.", e);
        }
        return logged(verification.finish(name), signed, name);
    }

    private VerifiedSignature logged(VerifiedSignature verified, String signed, String name) {
        log.info("Signature of " + signed + " verified for " + name + ": signed by " + verified.fingerprint() + " "
                + verified.userIds() + ", trusted as " + verified.scope());
        return verified;
    }
}
