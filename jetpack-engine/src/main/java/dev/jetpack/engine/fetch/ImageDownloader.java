package dev.jetpack.engine.fetch;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.fetch.discovery.AppcDiscovery;
import dev.jetpack.engine.fetch.discovery.DiscoveredEndpoints;
import dev.jetpack.engine.fetch.http.DownloadResult;
import dev.jetpack.engine.fetch.http.HttpFetcher;
import dev.jetpack.engine.fetch.http.SafeUris;
import dev.jetpack.engine.fetch.trust.SignatureVerifier;
import dev.jetpack.engine.fetch.trust.VerifiedSignature;
import dev.jetpack.engine.io.AtomicFiles;
import dev.jetpack.engine.manifest.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Makes the ACI of an {@link ImageSource} available as a local file, with its signature checked where the
 * image name is known up front:
 *
 * <ul>
 *   <li>a name is discovered; for each endpoint in turn the signature is fetched and its signer checked
 *       <em>before</em> the ACI is downloaded, then the ACI bytes are verified; a failing endpoint (download
 *       error or rejected signature) makes the next one be tried, and when all fail the fetch fails;</li>
 *   <li>a URL is downloaded, and {@code URL.asc} too when the server has it;</li>
 *   <li>a path or Maven artifact is used in place, with a sibling {@code .asc} when present.</li>
 * </ul>
 *
 * Downloads land in the download directory under a name derived from the URL, so a second fetch of the same
 * URL is a conditional request and reuses the file on 304. Nothing here knows the image store: {@link ImageFetcher}
 * imports what this returns.
 */
public final class ImageDownloader {
    private static final long MAX_SIGNATURE_BYTES = 64 * 1024;

    private final HttpFetcher http;
    private final AppcDiscovery discovery;
    private final SignatureVerifier verifier;
    private final MavenResolver maven;
    private final EngineLog log;

    /**
     * @param maven resolves {@code mvn:} sources; null when the caller has none (then such sources fail)
     */
    public ImageDownloader(HttpFetcher http, AppcDiscovery discovery, SignatureVerifier verifier, MavenResolver maven,
            EngineLog log) {
        this.http = http;
        this.discovery = discovery;
        this.verifier = verifier;
        this.maven = maven;
        this.log = log;
    }

    /**
     * Makes {@code source}'s ACI available as a local file.
     *
     * @throws FetchException when the file, URL or Maven artifact cannot be had, discovery finds nothing, or
     *     (for a name) no endpoint serves an image signed by a key trusted for that name
     */
    public FetchedImage download(ImageSource source, DownloadOptions options, ProgressListener progress) {
        if (source instanceof ImageSource.Named named) {
            return fetchDiscovered(named, options, progress);
        }
        if (source instanceof ImageSource.Url url) {
            return fetchUrl(url, options, progress);
        }
        if (source instanceof ImageSource.LocalFile file) {
            if (!Files.isRegularFile(file.path())) {
                throw new FetchException("Image file " + file.path() + " does not exist or is not a file.");
            }
            return local(source, file.path());
        }
        ImageSource.MavenArtifact artifact = (ImageSource.MavenArtifact) source;
        if (maven == null) {
            throw new FetchException("Cannot fetch mvn:" + artifact.coordinates() + ": no Maven resolver is"
                    + " available here. Use the jetpack Maven plugin, or give the ACI's path.");
        }
        return local(source, maven.resolve(artifact));
    }

    private FetchedImage local(ImageSource source, Path aci) {
        Path signature = aci.resolveSibling(aci.getFileName() + ".asc");
        return new FetchedImage(source, aci, Optional.empty(), false, Optional.empty(),
                Files.isRegularFile(signature) ? Optional.of(signature) : Optional.empty(), Optional.empty());
    }

    private FetchedImage fetchUrl(ImageSource.Url url, DownloadOptions options, ProgressListener progress) {
        Path aci = downloadPath(options, url.uri(), ".aci");
        DownloadResult result = http.download(url.uri(), aci, "ACI " + SafeUris.display(url.uri()), progress);
        URI signatureUri = URI.create(url.uri() + ".asc");
        Optional<Path> signature;
        try {
            signature = Optional.of(saveSignature(options, signatureUri,
                    http.fetchBytes(signatureUri, "the signature of " + SafeUris.display(url.uri()),
                            MAX_SIGNATURE_BYTES)));
        } catch (FetchException e) {
            if (e.status().isEmpty() || e.status().getAsInt() != 404) {
                throw e;
            }
            log.info("No signature at " + SafeUris.display(signatureUri) + "; the image is not signed.");
            signature = Optional.empty();
        }
        return new FetchedImage(url, aci, Optional.of(result.finalUri()), result.notModified(), Optional.empty(),
                signature, Optional.empty());
    }

    private FetchedImage fetchDiscovered(ImageSource.Named named, DownloadOptions options, ProgressListener progress) {
        ImageReference reference = named.reference();
        List<DiscoveredEndpoints> endpoints = discovery.discover(reference, options.discovery());
        if (options.insecureSkipSignature()) {
            log.warn("Signature checks are OFF for " + reference + " (insecure option): the image is accepted"
                    + " whoever made it.");
        }
        return AppcDiscovery.firstSuccessful(endpoints, endpoint -> {
            Optional<VerifiedSignature> verified = Optional.empty();
            SignatureVerifier.PendingVerification pending = null;
            if (!options.insecureSkipSignature()) {
                byte[] signature = http.fetchBytes(endpoint.signature(), "the signature of " + reference,
                        MAX_SIGNATURE_BYTES);
                // Checks the signer now, so an untrusted image fails before its (large) download.
                pending = verifier.begin(reference.name(), signature);
            }
            Path aci = downloadPath(options, endpoint.aci(), ".aci");
            DownloadResult result = http.download(endpoint.aci(), aci, "ACI " + reference, progress);
            if (pending != null) {
                verified = Optional.of(verifyFile(pending, aci));
                log.info("Signature of " + reference + " verified: signed by " + verified.get().fingerprint()
                        + " " + verified.get().userIds() + ", trusted as " + verified.get().scope());
            }
            return new FetchedImage(named, aci, Optional.of(result.finalUri()), result.notModified(), verified,
                    Optional.empty(), Optional.of(reference));
        }, log);
    }

    private static VerifiedSignature verifyFile(SignatureVerifier.PendingVerification pending, Path aci) {
        try {
            try (InputStream in = pending.wrap(Files.newInputStream(aci))) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return pending.finish();
        } catch (IOException e) {
            throw new FetchException("Could not read the downloaded " + aci + " to verify it: " + e, e);
        } catch (FetchException e) {
            // Bytes that fail verification must not stay around to be reused as a cached copy.
            try {
                Files.deleteIfExists(aci);
            } catch (IOException ignored) {
                // the exception below is what matters
            }
            throw e;
        }
    }

    private static Path saveSignature(DownloadOptions options, URI uri, byte[] signature) {
        Path file = downloadPath(options, uri, ".aci.asc");
        try {
            AtomicFiles.write(file, signature);
        } catch (IOException e) {
            throw new FetchException("Could not save the signature " + file + ": " + e, e);
        }
        return file;
    }

    /** A stable file name per URL, so that a repeated download finds its cache record and file. */
    private static Path downloadPath(DownloadOptions options, URI uri, String suffix) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(uri.toString().getBytes(StandardCharsets.UTF_8));
            return options.downloadDirectory().resolve(HexFormat.of().formatHex(digest, 0, 16) + suffix);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
