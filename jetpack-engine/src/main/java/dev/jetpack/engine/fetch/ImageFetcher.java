package dev.jetpack.engine.fetch;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.fetch.discovery.AppcDiscovery;
import dev.jetpack.engine.fetch.discovery.DiscoveredEndpoints;
import dev.jetpack.engine.fetch.discovery.DiscoveryOptions;
import dev.jetpack.engine.fetch.discovery.HostPlatform;
import dev.jetpack.engine.fetch.http.DownloadResult;
import dev.jetpack.engine.fetch.http.HttpFetcher;
import dev.jetpack.engine.fetch.http.HttpSettings;
import dev.jetpack.engine.fetch.http.SafeUris;
import dev.jetpack.engine.fetch.http.TlsPolicy;
import dev.jetpack.engine.fetch.trust.SignatureVerifier;
import dev.jetpack.engine.fetch.trust.TrustStore;
import dev.jetpack.engine.io.AtomicFiles;
import dev.jetpack.engine.manifest.Dependency;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.ImageReference;
import dev.jetpack.engine.store.DependencyResolver;
import dev.jetpack.engine.store.ImageNotFoundException;
import dev.jetpack.engine.store.ImageStore;
import dev.jetpack.engine.store.ImportOptions;
import dev.jetpack.engine.store.StoredImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Gets an image into the store from whatever a user typed, and returns it. One call, one rule set:
 *
 * <ul>
 * <li><b>An image ID or ID prefix</b> ({@code sha512-…}): looked up in the store only (an ID cannot be
 * downloaded).</li>
 * <li><b>A path or {@code file:} URL</b> (anything starting with {@code /}, {@code ./}, {@code ../}, ending in
 * {@code .aci}, or naming an existing file): imported. Local files are trusted like the user's own.</li>
 * <li><b>An {@code http(s):} URL</b>: downloaded (plain HTTP only with {@link FetchOptions#allowHttp()}). A
 * signature at {@code URL.asc} is verified when the server has one; it is required only with
 * {@link FetchOptions#requireSignature()}.</li>
 * <li><b>A name</b> like {@code example.com/app:1.0,os=linux}: with the default {@link FetchPolicy#PREFER_STORE}
 * the newest stored image with that name and labels (and the host's os/arch unless given) is used without any
 * network access; otherwise appc discovery finds it (version {@code latest} and the host's os/arch by default),
 * its signature is REQUIRED and verified for that name (unless {@link FetchOptions#insecureSkipVerify()}, which
 * logs a warning), and the image's manifest must carry the requested name and labels.</li>
 * </ul>
 *
 * <p>Downloads go to the store's cache ({@code cache/downloads}, one file per URL, replaced by rename only) and
 * are then hard-linked into the store, so a download costs its size once. Because the file and its ETag /
 * Last-Modified are remembered, fetching the same URL again sends a conditional request: an unchanged image
 * (HTTP 304) costs no body download, and the log says so. With {@link FetchOptions#offline()} nothing is
 * downloaded at all. Dependencies of fetched images are fetched by the same rules (by name and labels through
 * discovery, signature required), and their image IDs are checked before anything is stored.
 *
 * <p>Signatures are checked on the downloaded file before it is unpacked for discovered images (the name is known
 * then); for plain URLs the name is only known from the manifest, so the check runs after unpacking into the
 * store's private staging area and before the image becomes visible.
 */
public final class ImageFetcher {
    private static final long MAX_SIGNATURE_BYTES = 1024 * 1024;
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{6,128}");

    private final ImageStore store;
    private final EngineLog log;

    public ImageFetcher(ImageStore store, EngineLog log) {
        this.store = store;
        this.log = log;
    }

    /**
     * Fetches {@code what} (see the class description for the forms) and returns the stored image.
     *
     * @throws ImageNotFoundException when an ID is not stored, or offline when the store lacks the image
     * @throws FetchException         when downloading, discovery or signature verification fails
     */
    public StoredImage fetch(String what, FetchOptions options) {
        String text = what == null ? "" : what.trim();
        if (text.isEmpty()) {
            throw new FetchException("Nothing to fetch: give an image ID, a path, a URL or a name such as"
                    + " example.com/app:1.0");
        }
        if (text.startsWith(ImageId.PREFIX)) {
            return store.find(text);
        }
        if (HEX.matcher(text).matches()) {
            try {
                return store.find(text);
            } catch (ImageNotFoundException e) {
                // Not a stored ID prefix: it may still be a name.
            }
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("file:")) {
            return importLocal(Path.of(URI.create(text)), options);
        }
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return fetchUrl(URI.create(text), options);
        }
        if (isLocalPath(text)) {
            return importLocal(Path.of(text), options);
        }
        return fetchByName(ImageReference.parse(text), options);
    }

    /**
     * The resolver for dependencies that the store does not hold: discovery by the dependency's name and
     * labels, with the same signature and name/label rules as {@link #fetch}; the dependency's image ID (when it
     * has one) is checked before the image is stored.
     */
    public DependencyResolver dependencyResolver(FetchOptions options) {
        return (dependency, dependent, ignored) -> {
            ImageReference reference = referenceOf(dependency);
            if (options.offline()) {
                throw new ImageNotFoundException("Image " + dependent + " depends on "
                        + DependencyResolver.describe(dependency) + ", which is not in the store " + store.root()
                        + ", and fetching is offline. Fetch it while online first.");
            }
            log.info("Fetching dependency " + DependencyResolver.describe(dependency) + " of " + dependent);
            return discoverAndFetch(reference, Optional.ofNullable(dependency.imageID()), options);
        };
    }

    private static boolean isLocalPath(String text) {
        return text.startsWith("/") || text.startsWith("./") || text.startsWith("../")
                || text.toLowerCase(Locale.ROOT).endsWith(".aci") || Files.isRegularFile(Path.of(text));
    }

    private StoredImage importLocal(Path file, FetchOptions options) {
        if (!Files.isRegularFile(file)) {
            throw new FetchException("Cannot fetch " + file + ": no such file. Give the path of an .aci file, a URL"
                    + " or an image name.");
        }
        return store.importAci(file, importOptions(file.toString(), options));
    }

    private ImportOptions importOptions(String source, FetchOptions options) {
        return ImportOptions.defaults().withSource(source).withDependencyResolver(dependencyResolver(options))
                .withReaderOptions(options.readerOptions());
    }

    // ---- URLs ----

    private StoredImage fetchUrl(URI uri, FetchOptions options) {
        String display = SafeUris.display(uri);
        if (options.offline()) {
            return previouslyFetched(uri).orElseThrow(() -> new ImageNotFoundException("Cannot fetch " + display
                    + ": fetching is offline and this URL was never fetched into the store " + store.root()
                    + ". Fetch it once while online."));
        }
        HttpFetcher http = httpFetcher(options);
        Path body = downloadFile(uri);
        DownloadResult download = http.download(uri, body, "ACI " + display, options.progress());
        if (download.notModified()) {
            Optional<StoredImage> known = previouslyFetched(uri);
            if (known.isPresent()) {
                log.info("ACI " + display + " is not modified since the last fetch (HTTP 304): image "
                        + known.get().describe() + " is already in the store; no download");
                return known.get();
            }
        }
        URI signatureUri = URI.create(uri + ".asc");
        Optional<byte[]> signature = optionalSignature(http, signatureUri, options.requireSignature());
        ImportOptions.ImportCheck check;
        if (signature.isPresent()) {
            check = (id, manifest) -> {
                verifySignature(options, manifest.name(), body, signature.get());
                log.info("Signature of " + display + " verified for " + manifest.name());
            };
        } else {
            log.warn("ACI " + display + " has no signature at " + SafeUris.display(signatureUri)
                    + "; it is not verified (only TLS protects it). Use discovery or require signatures to be sure"
                    + " of its origin.");
            check = ImportOptions.ImportCheck.ACCEPT_ALL;
        }
        StoredImage image = store.importAci(body,
                importOptions(display, options).withLinkSourceFile(true).withCheck(check));
        remember(uri, image.id());
        return image;
    }

    private Optional<byte[]> optionalSignature(HttpFetcher http, URI signatureUri, boolean required) {
        try {
            return Optional.of(http.fetchBytes(signatureUri, "signature", MAX_SIGNATURE_BYTES));
        } catch (FetchException e) {
            if (required || e.status().orElse(-1) != 404) {
                throw required ? new FetchException(signatureUri, e.status().orElse(-1), "A signature is required"
                        + " but " + SafeUris.display(signatureUri) + " could not be fetched: " + e.getMessage(), e) : e;
            }
            return Optional.empty();
        }
    }

    /** Verifies {@code signature} over {@code aciFile} with the keys trusted for {@code imageName}. */
    private void verifySignature(FetchOptions options, String imageName, Path aciFile, byte[] signature) {
        TrustStore trust = options.trustStore().orElseGet(() -> TrustStore.inStoreDirectory(store.root(), log));
        try (InputStream in = Files.newInputStream(aciFile)) {
            new SignatureVerifier(trust).verify(imageName, in, signature);
        } catch (IOException e) {
            throw new FetchException("Cannot read the downloaded " + aciFile + " to verify its signature: " + e, e);
        }
    }

    // ---- names ----

    private StoredImage fetchByName(ImageReference reference, FetchOptions options) {
        if (options.policy() == FetchPolicy.PREFER_STORE || options.offline()) {
            Optional<StoredImage> stored = storedMatch(reference);
            if (stored.isPresent()) {
                log.info("Image " + reference + " found in the store: " + stored.get().describe() + "; no download");
                return stored.get();
            }
        }
        if (options.offline()) {
            throw new ImageNotFoundException("Image " + reference + " is not in the store " + store.root()
                    + " and fetching is offline. Fetch it while online, or import its ACI file.");
        }
        return discoverAndFetch(reference, Optional.empty(), options);
    }

    /** Newest stored match; images built for another os/arch do not count unless the request names it. */
    private Optional<StoredImage> storedMatch(ImageReference reference) {
        String os = reference.label("os").orElse(HostPlatform.os());
        String arch = reference.label("arch").orElse(HostPlatform.arch());
        return store.matching(reference).stream()
                .filter(image -> image.label("os").map(os::equals).orElse(true))
                .filter(image -> image.label("arch").map(arch::equals).orElse(true))
                .findFirst();
    }

    private StoredImage discoverAndFetch(ImageReference reference, Optional<String> expectedId, FetchOptions options) {
        HttpFetcher http = httpFetcher(options);
        DiscoveryOptions.Builder discovery = DiscoveryOptions.builder().allowHttp(options.allowHttp());
        options.discoveryUri().ifPresent(discovery::discoveryUri);
        List<DiscoveredEndpoints> endpoints = new AppcDiscovery(http, log).discover(reference, discovery.build());
        return AppcDiscovery.firstSuccessful(endpoints,
                endpoint -> fetchEndpoint(http, reference, expectedId, endpoint, options), log);
    }

    private StoredImage fetchEndpoint(HttpFetcher http, ImageReference reference, Optional<String> expectedId,
            DiscoveredEndpoints endpoint, FetchOptions options) {
        String display = SafeUris.display(endpoint.aci());
        ImportOptions.ImportCheck matchesRequest = (id, manifest) -> checkMatch(reference, expectedId, id, manifest,
                display);
        Path body = downloadFile(endpoint.aci());
        DownloadResult download = http.download(endpoint.aci(), body, "ACI " + reference, options.progress());
        if (download.notModified()) {
            Optional<StoredImage> known = previouslyFetched(endpoint.aci());
            if (known.isPresent()) {
                matchesRequest.check(known.get().id(), known.get().manifest());
                log.info("ACI " + display + " is not modified since the last fetch (HTTP 304): image "
                        + known.get().describe() + " is already in the store; no download");
                return known.get();
            }
        }
        if (options.insecureSkipVerify()) {
            log.warn("Signature verification of " + reference + " from " + display + " is SKIPPED (insecure option):"
                    + " anyone able to alter the download could have replaced the image.");
        } else {
            byte[] signature = http.fetchBytes(endpoint.signature(), "signature of " + reference,
                    MAX_SIGNATURE_BYTES);
            verifySignature(options, reference.name(), body, signature);
            log.info("Signature of " + reference + " from " + display + " verified");
        }
        StoredImage image = store.importAci(body,
                importOptions(display, options).withLinkSourceFile(true).withCheck(matchesRequest));
        remember(endpoint.aci(), image.id());
        return image;
    }

    /** The fetched image must be what was asked for: same name, every requested label, the expected ID. */
    private static void checkMatch(ImageReference reference, Optional<String> expectedId, ImageId id,
            ImageManifest manifest, String source) {
        if (!reference.name().equals(manifest.name())) {
            throw new FetchException("Rejected the image from " + source + ": it was fetched as " + reference
                    + " but its manifest names it " + manifest.name() + ". The server offers a different image under"
                    + " that name; nothing was stored.");
        }
        for (Map.Entry<String, String> label : reference.labels().entrySet()) {
            if (label.getKey().equals("version") && label.getValue().equals("latest")) {
                continue; // "latest" is discovery's word for "the current one", not a label images carry
            }
            Optional<String> actual = manifest.label(label.getKey());
            if (!actual.equals(Optional.of(label.getValue()))) {
                throw new FetchException("Rejected the image from " + source + ": " + reference + " was requested"
                        + " but the image has " + label.getKey() + "=" + actual.orElse("(no such label)")
                        + ". The server offers a different image than requested; nothing was stored.");
            }
        }
        if (expectedId.isPresent() && !expectedId.get().equals(id.value())) {
            throw new FetchException("Rejected the image from " + source + ": the dependency " + reference
                    + " must have image ID " + expectedId.get() + " but the fetched image has ID " + id
                    + ". Nothing was stored; correct the dependency's imageID or the server's image.");
        }
    }

    private static ImageReference referenceOf(Dependency dependency) {
        Map<String, String> labels = new LinkedHashMap<>();
        dependency.labels().forEach(label -> labels.put(label.name(), label.value()));
        return new ImageReference(dependency.imageName(), labels);
    }

    // ---- download cache ----

    private HttpFetcher httpFetcher(FetchOptions options) {
        HttpSettings.Builder settings = HttpSettings.builder().allowPlainHttp(options.allowHttp())
                .cacheDirectory(store.cacheDirectory("http"));
        options.sslContext().ifPresent(context -> settings.tls(TlsPolicy.trusting(context, "the given SSL context")));
        options.connectTimeout().ifPresent(settings::connectTimeout);
        options.readTimeout().ifPresent(settings::readTimeout);
        return new HttpFetcher(settings.build(), log);
    }

    /** The cache file for one URL's body: replaced only by rename, so the store may hard-link it. */
    private Path downloadFile(URI uri) {
        return store.cacheDirectory("downloads").resolve(urlKey(uri) + ".aci");
    }

    private Path idRecord(URI uri) {
        return store.cacheDirectory("downloads").resolve(urlKey(uri) + ".id");
    }

    /** The stored image last fetched from {@code uri}, if it is still in the store. */
    private Optional<StoredImage> previouslyFetched(URI uri) {
        try {
            Path record = idRecord(uri);
            if (!Files.isRegularFile(record)) {
                return Optional.empty();
            }
            String id = Files.readString(record, StandardCharsets.UTF_8).trim();
            return ImageId.isValid(id) ? store.get(ImageId.parse(id)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // a lost record only costs a download
        }
    }

    private void remember(URI uri, ImageId id) {
        try {
            AtomicFiles.write(idRecord(uri), id.value().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            log.warn("Could not record which image " + SafeUris.display(uri) + " holds (" + e
                    + "); the next fetch of it will download it again.");
        }
    }

    private static String urlKey(URI uri) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(uri.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
