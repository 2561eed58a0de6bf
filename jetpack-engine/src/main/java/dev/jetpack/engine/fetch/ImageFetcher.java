package dev.jetpack.engine.fetch;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.fetch.discovery.AppcDiscovery;
import dev.jetpack.engine.fetch.discovery.HostPlatform;
import dev.jetpack.engine.fetch.http.HttpFetcher;
import dev.jetpack.engine.fetch.http.SafeUris;
import dev.jetpack.engine.fetch.trust.SignatureVerifier;
import dev.jetpack.engine.fetch.trust.TrustStore;
import dev.jetpack.engine.fetch.trust.VerifiedSignature;
import dev.jetpack.engine.io.InterProcessLock;
import dev.jetpack.engine.io.Sha256;
import dev.jetpack.engine.manifest.Dependency;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.ImageReference;
import dev.jetpack.engine.oci.OciImageImporter;
import dev.jetpack.engine.store.DependencyResolver;
import dev.jetpack.engine.store.ImageNotFoundException;
import dev.jetpack.engine.store.ImageStore;
import dev.jetpack.engine.store.ImportOptions.ImportCheck;
import dev.jetpack.engine.store.ImportOptions;
import dev.jetpack.engine.store.StoredImage;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Gets an image into the store from whatever a user typed, and returns it. This is the one entry point for
 * fetching, with the forms of {@link ImageSource#parse}. URLs and discovered names are streamed from the network
 * into the store's staging area in one pass, signature included, by {@link ImageDownloader}; this class checks
 * the staged image's name and labels and commits it, reads paths and {@code mvn:} artifacts in place, and
 * answers from the store what it already holds:
 *
 * <ul>
 * <li><b>An image ID or ID prefix</b> ({@code sha512-…}, or 6+ hex digits that a stored ID starts with): looked
 * up in the store only (an ID cannot be downloaded).</li>
 * <li><b>A name</b> like {@code example.com/app:1.0,os=linux}: with the default {@link FetchPolicy#PREFER_STORE}
 * the newest stored image with that name and labels (and the host's os/arch unless given) is used without any
 * network access; otherwise it is discovered and its signature is REQUIRED for that name (unless
 * {@link FetchOptions#insecureSkipSignature()}), and the image's manifest must carry the requested name and
 * labels.</li>
 * <li><b>OCI images</b> ({@code oci:DIR[:TAG]}, {@code docker-archive:FILE}, {@code docker://HOST/REPO:TAG}) are
 * converted by {@link OciImageImporter}, once per image.</li>
 * <li><b>Paths, URLs and {@code mvn:} artifacts</b> are imported; a signature next to them ({@code .asc}) is
 * verified against the name in the image's manifest before the image becomes visible, and is required with
 * {@link FetchOptions#requireSignature()}.</li>
 * </ul>
 *
 * <p>With {@link FetchOptions#offline()} nothing is downloaded: names and URLs are answered from the store (a URL
 * by the image it gave last time), paths and local-repository Maven artifacts still work. A re-download answered
 * with HTTP 304 reuses the stored image without any body transfer. Whatever fails (download, signature, name,
 * dependencies) leaves nothing visible in the store. Dependencies of fetched images are fetched by
 * the same rules (by name and labels through discovery, signature required), and their image IDs are checked
 * before anything is stored.
 */
public final class ImageFetcher {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{6,128}");
    /** Fetch locks this thread holds (by key), so that a nested fetch of the same source does not lock twice. */
    private static final ThreadLocal<java.util.Set<String>> FETCHES_HELD =
            ThreadLocal.withInitial(java.util.HashSet::new);

    private final ImageStore store;
    private final FetchRecords records;
    private final EngineLog log;

    public ImageFetcher(ImageStore store, EngineLog log) {
        this.store = store;
        this.records = FetchRecords.of(store, log);
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
        return fetch(ImageSource.parse(text), options);
    }

    /** Fetches a source the caller already parsed ({@link ImageSource#parse}); see {@link #fetch(String, FetchOptions)}. */
    public StoredImage fetch(ImageSource source, FetchOptions options) {
        if (source instanceof ImageSource.StoredId id) {
            StoredImage stored = store.find(id.idOrPrefix());
            log.info("Image " + id.idOrPrefix() + " is in the store: " + stored.describe());
            return stored;
        }
        if (source instanceof ImageSource.Named named) {
            Optional<StoredImage> byIdPrefix = storedIdPrefix(named.reference());
            return byIdPrefix.isPresent() ? byIdPrefix.get() : fetchByName(named.reference(), options);
        }
        if (source instanceof ImageSource.Url url && options.offline()) {
            return previouslyFetched(url.uri()).orElseThrow(() -> new ImageNotFoundException("Cannot fetch "
                    + SafeUris.display(url.uri()) + ": fetching is offline and this URL was never fetched into the"
                    + " store " + store.root() + ". Fetch it once while online."));
        }
        if (source instanceof ImageSource.LocalFile || source instanceof ImageSource.MavenArtifact) {
            return fetchLocal(source, options);
        }
        return downloadAndImport(source, Optional.empty(), options);
    }

    /*
     * Bare hex digits (6+) are a stored image's ID prefix when one matches, and otherwise a name: the user cannot
     * tell them apart by form, so the store decides.
     */
    private Optional<StoredImage> storedIdPrefix(ImageReference reference) {
        if (!reference.labels().isEmpty() || !HEX.matcher(reference.name()).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(store.find(reference.name()));
        } catch (ImageNotFoundException e) {
            return Optional.empty();
        }
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
            return downloadAndImport(new ImageSource.Named(dependency.reference()),
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

    /**
     * Downloads and imports under an inter-process lock per source, so that several threads or JVMs fetching
     * the same image (e.g. parallel builds from one parent) download and unpack it once: whoever waited finds
     * the image in the store (names, dependencies) or gets a 304 for a URL and reuses the stored image.
     */
    private StoredImage downloadAndImport(ImageSource source, Optional<String> expectedId, FetchOptions options) {
        return underFetchLock(source, () -> {
            Optional<StoredImage> meanwhile = fetchedMeanwhile(source, expectedId, options);
            if (meanwhile.isPresent()) {
                log.info("Image " + meanwhile.get().describe() + " was fetched by another build meanwhile;"
                        + " no download");
                return meanwhile.get();
            }
            return downloadAndImportLocked(source, expectedId, options);
        });
    }

    /** Runs {@code fetch} holding the inter-process lock of {@code source} (at once when this thread holds it). */
    private StoredImage underFetchLock(ImageSource source, Supplier<StoredImage> fetch) {
        String key = lockKey(source);
        java.util.Set<String> held = FETCHES_HELD.get();
        if (held.contains(key)) {
            // Fetched again inside its own import: a dependency cycle, which the store reports; locking twice in
            // one thread would fail instead.
            return fetch.get();
        }
        try (InterProcessLock.Held lock = InterProcessLock.forFile(store.cacheDirectory("fetch-locks")
                .resolve(key + ".lock")).lockExclusive()) {
            held.add(key);
            try {
                return fetch.get();
            } finally {
                held.remove(key);
            }
        } catch (IOException e) {
            throw new FetchException("Cannot lock the fetch of " + source + " in the store " + store.root() + ": "
                    + e.getMessage() + ". Check the permissions of the store.", e);
        }
    }

    /* A name or a dependency that another thread or process stored while this one waited for the lock. */
    private Optional<StoredImage> fetchedMeanwhile(ImageSource source, Optional<String> expectedId,
            FetchOptions options) {
        if (expectedId.isPresent() && ImageId.isValid(expectedId.get())) {
            Optional<StoredImage> stored = store.get(ImageId.parse(expectedId.get()));
            if (stored.isPresent()) {
                return stored;
            }
        }
        if (source instanceof ImageSource.Named named && options.policy() == FetchPolicy.PREFER_STORE
                && expectedId.isEmpty()) {
            return storedMatch(named.reference());
        }
        return Optional.empty();
    }

    private static String lockKey(ImageSource source) {
        String text = source instanceof ImageSource.Named named ? "name:" + named.reference()
                : source instanceof ImageSource.Url url ? "url:" + url.uri() : "other:" + source;
        return Sha256.hex(text.getBytes(StandardCharsets.UTF_8)).substring(0, 32);
    }

    private StoredImage downloadAndImportLocked(ImageSource source, Optional<String> expectedId,
            FetchOptions options) {
        if (source instanceof ImageSource.OciLayoutSource || source instanceof ImageSource.DockerArchive
                || source instanceof ImageSource.DockerRegistry) {
            return new OciImageImporter(store, log).fetch(source, options);
        }
        if (source instanceof ImageSource.Url || source instanceof ImageSource.Named) {
            ImageDownloader downloader = downloader(signatureVerifier(options), options);
            try (Download download = downloader.download(source, options)) {
                return importDownload(downloader, download, expectedId, options);
            }
        }
        throw new IllegalArgumentException("Not a source to download: " + source);
    }

    /**
     * Made only where a signature is checked: loading the OpenPGP classes (and the JDK's check of their signed
     * jar) costs a tenth of a second, which a no-op build on a local parent without signature need not pay.
     */
    private SignatureVerifier signatureVerifier(FetchOptions options) {
        return new SignatureVerifier(options.trustStore()
                .orElseGet(() -> TrustStore.inStoreDirectory(store.root(), log)));
    }

    /** Commits what the downloader staged (or reuses what the server said is unchanged) after the name check. */
    private StoredImage importDownload(ImageDownloader downloader, Download download, Optional<String> expectedId,
            FetchOptions options) {
        String display = download.source() instanceof ImageSource.Named named
                ? named.reference() + " from " + SafeUris.display(download.origin())
                : SafeUris.display(download.origin());
        ImportCheck check = download.source() instanceof ImageSource.Named named
                ? (id, manifest) -> checkMatch(named.reference(), expectedId, id, manifest, display)
                : ImportCheck.ACCEPT_ALL;
        if (download instanceof Download.NotModified unchanged) {
            StoredImage known = unchanged.image();
            check.check(known.id(), known.manifest());
            log.info("ACI " + display + " is not modified since the last fetch (HTTP 304): image "
                    + known.describe() + " is already in the store; no download");
            return known;
        }
        Download.Staged staged = (Download.Staged) download;
        return downloader.commit(staged, ImportOptions.builder().source(display)
                .dependencyResolver(dependencyResolver(options)).readerOptions(options.readerOptions())
                .check(check).build());
    }

    /**
     * A path or Maven artifact, read in place. A file unchanged since its import is answered from the record of
     * that import, before any lock is taken, and again under the lock, for a file another build imported while
     * this one waited.
     */
    private StoredImage fetchLocal(ImageSource source, FetchOptions options) {
        Path aci = localFile(source, options);
        String display = source instanceof ImageSource.MavenArtifact artifact
                ? "mvn:" + artifact.coordinates() + " (" + aci + ")" : aci.toString();
        Optional<ImportCheck> signatureCheck = localSignatureCheck(aci, display, options);
        Optional<String> fileKey = localFileKey(aci);
        Optional<StoredImage> unchanged = unchangedSinceImport(fileKey, display, signatureCheck);
        if (unchanged.isPresent()) {
            return unchanged.get();
        }
        return underFetchLock(source, () -> unchangedSinceImport(fileKey, display, signatureCheck).orElseGet(() -> {
            // User files are copied into the store, never linked: the user may change them in place later.
            StoredImage image = store.importAci(aci, ImportOptions.builder().source(display)
                    .dependencyResolver(dependencyResolver(options)).readerOptions(options.readerOptions())
                    .check(signatureCheck.orElse(ImportCheck.ACCEPT_ALL)).build());
            fileKey.ifPresent(key -> records.remember(key, image, Optional.empty(), display));
            return image;
        }));
    }

    /** The stored image the file with this key gave when it was imported, if it is still stored. */
    private Optional<StoredImage> unchangedSinceImport(Optional<String> fileKey, String display,
            Optional<ImportCheck> signatureCheck) {
        Optional<FetchRecords.Entry> record = fileKey.flatMap(records::lookup);
        Optional<StoredImage> known = record.flatMap(entry -> store.get(entry.id()));
        if (known.isPresent()) {
            // Without a signature nothing looks at the manifest: an unchanged parent costs no JSON parsing.
            signatureCheck.ifPresent(check -> check.check(known.get().id(), known.get().manifest()));
            log.info("Image file " + display + " is unchanged since it was imported as "
                    + record.get().description().orElseGet(known.get()::describe) + "; not reading it again");
        }
        return known;
    }

    private static Path localFile(ImageSource source, FetchOptions options) {
        if (source instanceof ImageSource.LocalFile file) {
            if (!Files.isRegularFile(file.path())) {
                throw new FetchException("Image file " + file.path() + " does not exist or is not a file.");
            }
            return file.path();
        }
        ImageSource.MavenArtifact artifact = (ImageSource.MavenArtifact) source;
        return options.mavenResolver().resolve(artifact);
    }

    /**
     * Identifies a local ACI file by path, inode, size and modification time: an unchanged file is answered from
     * the store without decompressing it again (this makes a no-op rebuild on a large parent cheap). Any write
     * to the file changes its time or size; a file replaced by rename changes its inode. The time is kept as a
     * number: formatting an {@code Instant} sets up java.time's formatters, a tenth of a no-op's time.
     */
    private static Optional<String> localFileKey(Path aci) {
        try {
            java.nio.file.attribute.BasicFileAttributes attributes = Files.readAttributes(aci.toAbsolutePath(),
                    java.nio.file.attribute.BasicFileAttributes.class);
            return Optional.of("file\0" + aci.toAbsolutePath().normalize() + "\0" + attributes.fileKey() + "\0"
                    + attributes.size() + "\0"
                    + attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private ImageDownloader downloader(SignatureVerifier verifier, FetchOptions options) {
        HttpFetcher http = new HttpFetcher(options.http(), log);
        return new ImageDownloader(http, new AppcDiscovery(http, log), verifier, store, log);
    }

    /**
     * A local file is only known by name once unpacked, so a signature next to it ({@code FILE.asc}) is verified
     * against the manifest's name before the image is stored; without one, {@link FetchOptions#requireSignature()}
     * refuses it.
     */
    private Optional<ImportCheck> localSignatureCheck(Path aci, String display, FetchOptions options) {
        Path signature = aci.resolveSibling(aci.getFileName() + ".asc");
        if (Files.isRegularFile(signature)) {
            SignatureVerifier verifier = signatureVerifier(options);
            return Optional.of((id, manifest) -> {
                VerifiedSignature verified = verifier.verify(manifest.name(), aci, signature);
                log.info("Signature of " + display + " verified for " + manifest.name() + ": signed by "
                        + verified.fingerprint() + " " + verified.userIds() + ", trusted as " + verified.scope());
            });
        }
        if (options.requireSignature()) {
            throw new FetchException("A signature is required but " + display + " has none (no " + signature
                    + "). Ask its publisher for a signature, fetch the image by name through discovery, or"
                    + " fetch without requiring signatures.");
        }
        return Optional.empty();
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

    // ---- which image a source gave last time (for offline fetches; HTTP validators are the downloader's) ----

    /** The stored image last fetched from {@code uri}, if it is still in the store. */
    private Optional<StoredImage> previouslyFetched(URI uri) {
        return previouslyImported(uri.toString());
    }

    private Optional<StoredImage> previouslyImported(String source) {
        return records.lookup(source).flatMap(entry -> store.get(entry.id()));
    }
}
