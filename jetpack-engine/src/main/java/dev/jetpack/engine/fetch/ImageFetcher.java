package dev.jetpack.engine.fetch;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.fetch.discovery.AppcDiscovery;
import dev.jetpack.engine.fetch.discovery.DiscoveryOptions;
import dev.jetpack.engine.fetch.discovery.HostPlatform;
import dev.jetpack.engine.fetch.http.HttpFetcher;
import dev.jetpack.engine.fetch.http.HttpSettings;
import dev.jetpack.engine.fetch.http.SafeUris;
import dev.jetpack.engine.fetch.http.TlsPolicy;
import dev.jetpack.engine.fetch.trust.SignatureVerifier;
import dev.jetpack.engine.fetch.trust.TrustStore;
import dev.jetpack.engine.fetch.trust.VerifiedSignature;
import dev.jetpack.engine.io.AtomicFiles;
import dev.jetpack.engine.manifest.Dependency;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.ImageReference;
import dev.jetpack.engine.store.DependencyResolver;
import dev.jetpack.engine.store.ImageNotFoundException;
import dev.jetpack.engine.store.ImageStore;
import dev.jetpack.engine.store.ImportOptions;
import dev.jetpack.engine.store.ImportOptions.ImportCheck;
import dev.jetpack.engine.store.StoredImage;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Gets an image into the store from whatever a user typed, and returns it. This is the one entry point for
 * fetching; where the ACI comes from (paths, URLs, {@code mvn:} coordinates, discovery, download signatures,
 * HTTP caching) is {@link ImageDownloader}'s job, with the forms of {@link ImageSource#parse}. This class adds
 * what needs the store:
 *
 * <ul>
 * <li><b>An image ID or ID prefix</b> ({@code sha512-…}, or 6+ hex digits that a stored ID starts with): looked
 * up in the store only (an ID cannot be downloaded).</li>
 * <li><b>A name</b> like {@code example.com/app:1.0,os=linux}: with the default {@link FetchPolicy#PREFER_STORE}
 * the newest stored image with that name and labels (and the host's os/arch unless given) is used without any
 * network access; otherwise it is discovered and its signature is REQUIRED for that name (unless
 * {@link FetchOptions#insecureSkipVerify()}), and the image's manifest must carry the requested name and
 * labels.</li>
 * <li><b>Paths, URLs and {@code mvn:} artifacts</b> are imported; a signature next to them ({@code .asc}) is
 * verified against the name in the image's manifest before the image becomes visible, and is required with
 * {@link FetchOptions#requireSignature()}.</li>
 * </ul>
 *
 * <p>With {@link FetchOptions#offline()} nothing is downloaded: names and URLs are answered from the store (a URL
 * by the image it gave last time), paths and local-repository Maven artifacts still work. A re-download answered
 * with HTTP 304 reuses the stored image without unpacking anything. Dependencies of fetched images are fetched by
 * the same rules (by name and labels through discovery, signature required), and their image IDs are checked
 * before anything is stored.
 */
public final class ImageFetcher {
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
     * @throws FetchException         when the source is malformed, or downloading, discovery, Maven resolution,
     *                                signature verification or the name/label check fails
     */
    public StoredImage fetch(String what, FetchOptions options) {
        String text = what == null ? "" : what.trim();
        if (text.isEmpty()) {
            throw new FetchException("Nothing to fetch: give an image ID, a path, a URL, mvn:GROUP:ARTIFACT:VERSION"
                    + " or a name such as example.com/app:1.0");
        }
        if (text.startsWith(ImageId.PREFIX)) {
            return store.find(text);
        }
        if (HEX.matcher(text).matches()) {
            try {
                return store.find(text);
            } catch (ImageNotFoundException e) {
                // Not a stored ID prefix: it may still be a name or a file.
            }
        }
        ImageSource source = ImageSource.parse(text);
        if (source instanceof ImageSource.Named named) {
            return fetchByName(named.reference(), options);
        }
        if (source instanceof ImageSource.Url url && options.offline()) {
            return previouslyFetched(url.uri()).orElseThrow(() -> new ImageNotFoundException("Cannot fetch "
                    + SafeUris.display(url.uri()) + ": fetching is offline and this URL was never fetched into the"
                    + " store " + store.root() + ". Fetch it once while online."));
        }
        return downloadAndImport(source, Optional.empty(), options);
    }

    /**
     * The resolver for dependencies that the store does not hold: discovery by the dependency's name and
     * labels, with the same signature and name/label rules as {@link #fetch}; the dependency's image ID (when it
     * has one) is checked before the image is stored.
     */
    public DependencyResolver dependencyResolver(FetchOptions options) {
        return (dependency, dependent, ignored) -> {
            if (options.offline()) {
                throw new ImageNotFoundException("Image " + dependent + " depends on "
                        + DependencyResolver.describe(dependency) + ", which is not in the store " + store.root()
                        + ", and fetching is offline. Fetch it while online first.");
            }
            log.info("Fetching dependency " + DependencyResolver.describe(dependency) + " of " + dependent);
            return downloadAndImport(new ImageSource.Named(referenceOf(dependency)),
                    Optional.ofNullable(dependency.imageID()), options);
        };
    }

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
        return downloadAndImport(new ImageSource.Named(reference), Optional.empty(), options);
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

    private StoredImage downloadAndImport(ImageSource source, Optional<String> expectedId, FetchOptions options) {
        SignatureVerifier verifier = new SignatureVerifier(
                options.trustStore().orElseGet(() -> TrustStore.inStoreDirectory(store.root(), log)));
        FetchedImage fetched = downloader(verifier, options).download(source, downloadOptions(options),
                options.progress());
        String display = describe(fetched);
        ImportCheck signature = signatureCheck(fetched, display, verifier, options);
        ImportCheck check = fetched.requested().isEmpty() ? signature : (id, manifest) -> {
            checkMatch(fetched.requested().get(), expectedId, id, manifest, display);
            signature.check(id, manifest);
        };
        Optional<URI> recordKey = recordKey(fetched);
        if (fetched.notModified() && recordKey.isPresent()) {
            Optional<StoredImage> known = previouslyFetched(recordKey.get());
            if (known.isPresent()) {
                check.check(known.get().id(), known.get().manifest());
                log.info("ACI " + display + " is not modified since the last fetch (HTTP 304): image "
                        + known.get().describe() + " is already in the store; no download");
                return known.get();
            }
        }
        // Downloads are replaced only by rename, so the store may hard-link them; user files are copied.
        StoredImage image = store.importAci(fetched.aci(), ImportOptions.defaults().withSource(display)
                .withDependencyResolver(dependencyResolver(options)).withReaderOptions(options.readerOptions())
                .withLinkSourceFile(fetched.origin().isPresent()).withCheck(check));
        recordKey.ifPresent(key -> remember(key, image.id()));
        return image;
    }

    private ImageDownloader downloader(SignatureVerifier verifier, FetchOptions options) {
        HttpSettings.Builder settings = HttpSettings.builder().allowPlainHttp(options.allowHttp())
                .cacheDirectory(store.cacheDirectory("http"));
        options.sslContext().ifPresent(context -> settings.tls(TlsPolicy.trusting(context, "the given SSL context")));
        options.connectTimeout().ifPresent(settings::connectTimeout);
        options.readTimeout().ifPresent(settings::readTimeout);
        HttpFetcher http = new HttpFetcher(settings.build(), log);
        return new ImageDownloader(http, new AppcDiscovery(http, log), verifier, options.mavenResolver(), log);
    }

    private DownloadOptions downloadOptions(FetchOptions options) {
        DiscoveryOptions.Builder discovery = DiscoveryOptions.builder().allowHttp(options.allowHttp());
        options.discoveryUri().ifPresent(discovery::discoveryUri);
        return new DownloadOptions(store.cacheDirectory("downloads"), discovery.build(),
                options.insecureSkipVerify());
    }

    /**
     * A discovered image was verified by the downloader for the requested name (or the user chose to skip that,
     * which it logged); the name check makes the manifest carry that name. Anything else is only known by name
     * once unpacked, so a signature next to it is verified against the manifest's name before it is stored.
     */
    private ImportCheck signatureCheck(FetchedImage fetched, String display, SignatureVerifier verifier,
            FetchOptions options) {
        if (fetched.requested().isPresent()) {
            return ImportCheck.ACCEPT_ALL;
        }
        if (fetched.unverifiedSignature().isPresent()) {
            Path signature = fetched.unverifiedSignature().get();
            return (id, manifest) -> {
                VerifiedSignature verified = verifier.verify(manifest.name(), fetched.aci(), signature);
                log.info("Signature of " + display + " verified for " + manifest.name() + ": signed by "
                        + verified.fingerprint() + " " + verified.userIds() + ", trusted as " + verified.scope());
            };
        }
        if (options.requireSignature()) {
            throw new FetchException("A signature is required but " + display + " has none (no " + display
                    + ".asc). Ask its publisher for a signature, fetch the image by name through discovery, or"
                    + " fetch without requiring signatures.");
        }
        if (fetched.source() instanceof ImageSource.Url) {
            log.warn("ACI " + display + " has no signature at " + display + ".asc; it is not verified (only TLS"
                    + " protects it). Use discovery or require signatures to be sure of its origin.");
        }
        return ImportCheck.ACCEPT_ALL;
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

    private static String describe(FetchedImage fetched) {
        ImageSource source = fetched.source();
        if (source instanceof ImageSource.Url url) {
            return SafeUris.display(url.uri());
        }
        if (source instanceof ImageSource.LocalFile file) {
            return file.path().toString();
        }
        if (source instanceof ImageSource.MavenArtifact artifact) {
            return "mvn:" + artifact.coordinates() + " (" + fetched.aci() + ")";
        }
        return ((ImageSource.Named) source).reference() + fetched.origin().map(o -> " from " + SafeUris.display(o))
                .orElse("");
    }

    // ---- which image a URL gave last time (for offline fetches and HTTP 304) ----

    /** URLs are remembered as typed; discovered images by the URL their body came from. Files need no record. */
    private static Optional<URI> recordKey(FetchedImage fetched) {
        if (fetched.source() instanceof ImageSource.Url url) {
            return Optional.of(url.uri());
        }
        return fetched.source() instanceof ImageSource.Named ? fetched.origin() : Optional.empty();
    }

    private Path idRecord(URI uri) {
        try {
            String key = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(uri.toString().getBytes(StandardCharsets.UTF_8)));
            return store.cacheDirectory("fetched").resolve(key + ".id");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
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
}
