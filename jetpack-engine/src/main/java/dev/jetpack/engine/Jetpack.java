package dev.jetpack.engine;

import dev.jetpack.engine.aci.AciWriter;
import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.build.ImageBuild;
import dev.jetpack.engine.build.ImageBuildService;
import dev.jetpack.engine.build.ImageBuildSpec;
import dev.jetpack.engine.build.KilledRunSweep;
import dev.jetpack.engine.fetch.FetchException;
import dev.jetpack.engine.fetch.FetchOptions;
import dev.jetpack.engine.fetch.ImageFetcher;
import dev.jetpack.engine.fetch.ImageSource;
import dev.jetpack.engine.fetch.discovery.AppcDiscovery;
import dev.jetpack.engine.fetch.discovery.DiscoveryOptions;
import dev.jetpack.engine.fetch.http.HttpFetcher;
import dev.jetpack.engine.fetch.trust.KeyAcceptance;
import dev.jetpack.engine.fetch.trust.KeyFetcher;
import dev.jetpack.engine.fetch.trust.SignatureVerifier;
import dev.jetpack.engine.fetch.trust.TrustScope;
import dev.jetpack.engine.fetch.trust.TrustStore;
import dev.jetpack.engine.fetch.trust.TrustedKey;
import dev.jetpack.engine.store.ImageExporter;
import dev.jetpack.engine.store.ImageStore;
import dev.jetpack.engine.store.ImportOptions;
import dev.jetpack.engine.store.StoredImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The engine's entry point: the user-level operations, one method each, as the command line and the Maven
 * plugin offer them. Every method is a delegation to the use case that owns its rules, in the package that owns
 * them: building in {@code build} ({@link ImageBuildService}), fetching and importing in {@code fetch}, trust in
 * {@code fetch.trust}, storing, finding and exporting in {@code store}. So both faces behave the same by
 * construction, and a new verb is a new use-case class plus one method here. The store is opened on first use,
 * so that e.g. {@link #config()} works even where the store cannot be created.
 */
public final class Jetpack {
    private final JetpackSettings settings;
    private final EngineLog log;
    private final ProgressListener progress;
    private ImageStore store;

    /**
     * @param settings store location, and the runtime and compression of requests that name none
     * @param log      receives what the operations do (the engine never prints)
     * @param progress receives progress of long work (downloads, packing)
     */
    public Jetpack(JetpackSettings settings, EngineLog log, ProgressListener progress) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.log = Objects.requireNonNull(log, "log");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    public JetpackSettings settings() {
        return settings;
    }

    /**
     * The image store at the configured location, opened (and created) on first use. Opening it removes what
     * killed runs left behind ({@link KilledRunSweep}).
     */
    public synchronized ImageStore store() {
        if (store == null) {
            store = ImageStore.open(settings.storeLocation(), log);
            KilledRunSweep.run(store, log);
        }
        return store;
    }

    /** Removes what killed runs left behind again ({@link KilledRunSweep}); returns what was removed. */
    public List<String> removeStaleWork() {
        return KilledRunSweep.run(store(), log);
    }

    /**
     * Fetches an image into the store from an image ID or prefix (store only), a path or {@code file:} URL, an
     * {@code http(s):} URL, or a name with labels (store first, then appc discovery with a required signature);
     * see {@link ImageFetcher}. Signatures are verified against the trust store unless {@code options} has its
     * own check; progress goes to this facade's listener unless {@code options} has one.
     */
    public StoredImage fetch(String image, FetchOptions options) {
        return fetcher().fetch(image, complete(options));
    }

    /** {@link #fetch(String, FetchOptions)} of a source the face parsed already ({@link ImageSource#parse}). */
    public StoredImage fetch(ImageSource source, FetchOptions options) {
        return fetcher().fetch(source, complete(options));
    }

    /**
     * Imports an ACI from {@code location} without discovery: a path, a {@code file:} URL or an {@code http(s):}
     * URL (Jetpack's {@code import}).
     *
     * @param signature where the ACI's detached signature is (path or URL); when given it must verify against
     *                  the trust store for {@code name}, or for the manifest's name when no name is given.
     *                  Without it, a URL is fetched as {@link #fetch} does (its {@code .asc} verified if present)
     *                  and a local file is trusted like the user's own
     * @param name      when given, the image's manifest must carry this name
     */
    public StoredImage importImage(String location, Optional<String> signature, Optional<String> name,
            FetchOptions options) {
        FetchOptions complete = complete(options);
        boolean url = Locations.isUrl(location);
        if (signature.isEmpty() && name.isEmpty()) {
            return url ? fetcher().fetch(location, complete)
                    : store().importAci(Locations.localPath(location), importOptions(location, signature, name,
                            complete, null));
        }
        if (!url) {
            Path file = Locations.localPath(location);
            return store().importAci(file, importOptions(location, signature, name, complete, file));
        }
        Path download = temporaryFile();
        try {
            new Locations(complete, log).download(location, download);
            return store().importAci(download, importOptions(location, signature, name, complete, download)
                    .withLinkSourceFile(true));
        } finally {
            deleteQuietly(download);
        }
    }

    /**
     * Imports an ACI read from {@code in} (e.g. standard input); see {@link #importImage(String, Optional,
     * Optional, FetchOptions)}. With a signature the stream is first saved to a temporary file in the store,
     * because the signature covers the bytes as a whole.
     */
    public StoredImage importImage(InputStream in, Optional<String> signature, Optional<String> name,
            FetchOptions options) {
        FetchOptions complete = complete(options);
        if (signature.isEmpty()) {
            return store().importAci(in, importOptions("standard input", signature, name, complete, null));
        }
        Path spooled = temporaryFile();
        try {
            Files.copy(in, spooled);
            return store().importAci(spooled, importOptions("standard input", signature, name, complete, spooled)
                    .withLinkSourceFile(true));
        } catch (IOException e) {
            throw new JetpackException("Cannot save the image read from standard input to " + spooled + ": "
                    + e.getMessage() + ". Check free space in the store " + store().root() + ".", e);
        } finally {
            deleteQuietly(spooled);
        }
    }

    private ImportOptions importOptions(String source, Optional<String> signature, Optional<String> name,
            FetchOptions options, Path aciFile) {
        byte[] armored = signature.map(location -> new Locations(options, log).readSignature(location)).orElse(null);
        SignatureVerifier verifier = armored == null ? null
                : new SignatureVerifier(options.trustStore().orElseGet(this::trustStore));
        return ImportOptions.defaults().withSource(source)
                .withDependencyResolver(fetcher().dependencyResolver(options))
                .withReaderOptions(options.readerOptions())
                .withCheck((id, manifest) -> {
                    if (name.isPresent() && !name.get().equals(manifest.name())) {
                        throw new FetchException("The image from " + source + " is named " + manifest.name()
                                + ", not " + name.get() + " as asked. Check the location, or give the image's"
                                + " real name.");
                    }
                    if (verifier != null) {
                        verify(verifier, name.orElse(manifest.name()), aciFile, armored);
                        log.info("Signature of " + source + " verified for " + name.orElse(manifest.name()));
                    }
                });
    }

    private ImageFetcher fetcher() {
        return new ImageFetcher(store(), log);
    }

    /** The caller's options with this facade's progress and trust store filled in where they have none. */
    private FetchOptions complete(FetchOptions options) {
        FetchOptions.Builder builder = options.toBuilder();
        if (options.progress() == ProgressListener.NONE) {
            builder.progress(progress);
        }
        if (options.trustStore().isEmpty()) {
            builder.trustStore(trustStore());
        }
        return builder.build();
    }

    private static void verify(SignatureVerifier verifier, String imageName, Path aciFile, byte[] signature) {
        try (InputStream in = Files.newInputStream(aciFile)) {
            verifier.verify(imageName, in, signature);
        } catch (IOException e) {
            throw new FetchException("Cannot read " + aciFile + " to verify its signature: " + e.getMessage(), e);
        }
    }

    /** The keys trusted to sign images, kept in the store directory ({@code trustedkeys/}). */
    public TrustStore trustStore() {
        return TrustStore.inStoreDirectory(settings.storeLocation(), log);
    }

    /** Every trusted key, root keys first, then by prefix. */
    public List<TrustedKey> trustedKeys() {
        return trustStore().list();
    }

    /**
     * Trusts the key at {@code location} (a path, {@code file:} or {@code http(s):} URL) for {@code scope}, if
     * {@code acceptance} accepts it (an expected fingerprint, or explicit trust on first use).
     *
     * @throws dev.jetpack.engine.fetch.trust.TrustException when the key is rejected; nothing is trusted then
     */
    public List<TrustedKey> trust(TrustScope scope, String location, KeyAcceptance acceptance, FetchOptions options) {
        return keyFetcher(options).trust(scope, location, acceptance);
    }

    /** Trusts the keys the discovery page of {@code prefix} publishes ({@code ac-discovery-pubkeys}). */
    public List<TrustedKey> trustFromDiscovery(String prefix, KeyAcceptance acceptance, FetchOptions options) {
        DiscoveryOptions.Builder discovery = DiscoveryOptions.builder().allowHttp(options.allowHttp());
        options.discoveryUri().ifPresent(discovery::discoveryUri);
        return keyFetcher(options).trustFromDiscovery(prefix, acceptance, discovery.build());
    }

    /**
     * Removes the key with this fingerprint from every scope.
     *
     * @throws dev.jetpack.engine.fetch.trust.TrustException when no trusted key has it
     */
    public List<TrustedKey> untrust(String fingerprint) {
        List<TrustedKey> removed = trustStore().remove(fingerprint);
        if (removed.isEmpty()) {
            throw new dev.jetpack.engine.fetch.trust.TrustException("No trusted key has the fingerprint "
                    + fingerprint + " in " + trustStore().directory() + ". List the trusted keys with 'jetpack"
                    + " trust' and give one of their fingerprints.");
        }
        return removed;
    }

    private KeyFetcher keyFetcher(FetchOptions options) {
        HttpFetcher http = new Locations(options, log).http();
        return new KeyFetcher(http, new AppcDiscovery(http, log), trustStore(), log);
    }

    /**
     * Builds the image {@code spec} describes: a derivative of a stored image, which goes into the store too, or
     * a base image from a rootfs ({@link ImageBuildService}).
     *
     * @throws dev.jetpack.engine.build.BuildFailedException when the command exits non-zero
     * @throws JetpackException                              when the image cannot be built or written
     */
    public ImageBuild buildImage(ImageBuildSpec spec) {
        return new ImageBuildService(this::store, settings, log, progress).build(spec);
    }

    /** All stored images, ordered by ID. */
    public List<StoredImage> list() {
        return store().list();
    }

    /**
     * The stored image a user means by {@code image}: a full ID, an unambiguous ID prefix, or
     * {@code NAME[:VERSION][,LABEL=VALUE...]} (the newest match).
     *
     * @throws dev.jetpack.engine.store.ImageNotFoundException when nothing matches
     * @throws dev.jetpack.engine.store.StoreException         when an ID prefix is ambiguous (candidates listed)
     */
    public StoredImage find(String image) {
        return store().find(image);
    }

    /**
     * Removes the image {@code image} names from the store; refused while another stored image depends on it.
     *
     * @return the removed image
     */
    public StoredImage destroy(String image) {
        StoredImage found = find(image);
        store().remove(found.id());
        return found;
    }

    /**
     * Writes a stored image as an ACI to {@code out}, as stored or {@code flat} ({@link ImageExporter}), a flat
     * one with the configured compression.
     *
     * @return the ID of the image written (a flat export has an ID of its own)
     */
    public ImageId export(String image, boolean flat, OutputStream out) {
        return exporter().export(find(image), flat, out);
    }

    /** {@link #export(String, boolean, OutputStream)} into {@code file}, which appears complete or not at all. */
    public ImageId export(String image, boolean flat, Path file) {
        return exporter().export(find(image), flat, file);
    }

    private ImageExporter exporter() {
        return new ImageExporter(AciWriter.Options.defaults().withCompression(settings.compression(), -1)
                .withProgress(progress).withLog(log), log);
    }

    /** The effective settings, with the runtime resolved as a build would resolve it (probes the runtimes). */
    public Configuration config() {
        return Configuration.probe(settings);
    }

    private Path temporaryFile() {
        return store().workArea().newFile(".aci");
    }

    private void deleteQuietly(Path file) {
        store().workArea().deleteQuietly(file);
    }
}
