package dev.jetpack.engine;

import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.aci.WriterOptions;
import dev.jetpack.engine.build.ImageBuild;
import dev.jetpack.engine.build.ImageBuildService;
import dev.jetpack.engine.build.ImageBuildSpec;
import dev.jetpack.engine.build.stage.StageCache;
import dev.jetpack.engine.fetch.FetchOptions;
import dev.jetpack.engine.fetch.ImageFetcher;
import dev.jetpack.engine.fetch.ImageImporter;
import dev.jetpack.engine.fetch.ImageSource;
import dev.jetpack.engine.fetch.trust.KeyAcceptance;
import dev.jetpack.engine.fetch.trust.KeyFetcher;
import dev.jetpack.engine.fetch.trust.TrustScope;
import dev.jetpack.engine.fetch.trust.TrustStore;
import dev.jetpack.engine.fetch.trust.TrustedKey;
import dev.jetpack.engine.oci.ExportedOciImage;
import dev.jetpack.engine.oci.OciExportOptions;
import dev.jetpack.engine.oci.OciExporter;
import dev.jetpack.engine.oci.registry.ImagePusher;
import dev.jetpack.engine.oci.registry.PushOptions;
import dev.jetpack.engine.oci.registry.PushResult;
import dev.jetpack.engine.oci.registry.RegistryReference;
import dev.jetpack.engine.run.AppRun;
import dev.jetpack.engine.run.AppRunSpec;
import dev.jetpack.engine.run.AppRunner;
import dev.jetpack.engine.store.ImageExporter;
import dev.jetpack.engine.store.ImageStore;
import dev.jetpack.engine.store.StoredImage;
import java.io.InputStream;
import java.io.OutputStream;
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
    private boolean swept;

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

    /** The image store at the configured location, opened (and created) on first use. */
    public synchronized ImageStore store() {
        if (store == null) {
            store = ImageStore.open(settings.storeLocation(), log);
        }
        return store;
    }

    /**
     * The store, once what killed runs left behind is removed ({@link KilledRunSweep}), for the operations that
     * make containers, mounts or app overlays, which leftovers could get in the way of or pile up beside:
     * builds that run, apps, imports, removals. Lookups (a listing, a no-op build's parent) and fetches go
     * without: a fetch mostly answers from the store, and in a fresh JVM the sweep costs more than a no-op build's
     * whole lookup. A killed download's partial image is in the store's staging area, which opening the store
     * cleans; its temporary files in the work area wait for the next sweep.
     */
    private synchronized ImageStore sweptStore() {
        ImageStore opened = store();
        if (!swept) {
            KilledRunSweep.run(opened, log);
            swept = true;
        }
        return opened;
    }

    /** Removes what killed runs left behind ({@link KilledRunSweep}), again if it was done; returns what went. */
    public synchronized List<String> removeStaleWork() {
        swept = true;
        return KilledRunSweep.run(store(), log);
    }

    /**
     * Fetches an image into the store from an image ID or prefix (store only), a path or {@code file:} URL, an
     * {@code http(s):} URL, or a name with labels (store first, then appc discovery with a required signature);
     * see {@link ImageFetcher}. Signatures are verified against the trust store unless {@code options} has its
     * own check; progress goes to this facade's listener unless {@code options} has one.
     */
    public StoredImage fetch(String image, FetchOptions options) {
        return fetcher().fetch(image, options.completedWith(progress, this::trustStore));
    }

    /** {@link #fetch(String, FetchOptions)} of a source the face parsed already ({@link ImageSource#parse}). */
    public StoredImage fetch(ImageSource source, FetchOptions options) {
        return fetcher().fetch(source, options.completedWith(progress, this::trustStore));
    }

    private ImageFetcher fetcher() {
        return new ImageFetcher(store(), log);
    }

    /**
     * Imports an ACI from {@code location} without discovery: a path, a {@code file:} URL or an {@code http(s):}
     * URL (Jetpack's {@code import}); see {@link ImageImporter}.
     *
     * @param signature where the ACI's detached signature is (path or URL); when given it must verify against
     *                  the trust store for {@code name}, or for the manifest's name when no name is given
     * @param name      when given, the image's manifest must carry this name
     */
    public StoredImage importImage(String location, Optional<String> signature, Optional<String> name,
            FetchOptions options) {
        return importer().importFrom(location, signature, name, options);
    }

    /** Imports an ACI read from {@code in} (e.g. standard input); see {@link ImageImporter}. */
    public StoredImage importImage(InputStream in, Optional<String> signature, Optional<String> name,
            FetchOptions options) {
        return importer().importFrom(in, signature, name, options);
    }

    private ImageImporter importer() {
        return new ImageImporter(sweptStore(), this::trustStore, progress, log);
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
     * {@code acceptance} accepts it (an expected fingerprint, or explicit trust on first use); downloads use
     * {@code options}' HTTP settings.
     *
     * @throws dev.jetpack.engine.fetch.trust.TrustException when the key is rejected; nothing is trusted then
     */
    public List<TrustedKey> trust(TrustScope scope, String location, KeyAcceptance acceptance, FetchOptions options) {
        return KeyFetcher.over(options.http(), trustStore(), log).trust(scope, location, acceptance);
    }

    /** Trusts the keys the discovery page of {@code prefix} publishes ({@code ac-discovery-pubkeys}). */
    public List<TrustedKey> trustFromDiscovery(String prefix, KeyAcceptance acceptance, FetchOptions options) {
        return KeyFetcher.over(options.http(), trustStore(), log).trustFromDiscovery(prefix, acceptance,
                options.discovery());
    }

    /**
     * Removes the key with this fingerprint from every scope.
     *
     * @throws dev.jetpack.engine.fetch.trust.TrustException when no trusted key has it
     */
    public List<TrustedKey> untrust(String fingerprint) {
        return trustStore().untrust(fingerprint);
    }

    /**
     * Builds the image {@code spec} describes: a derivative of a stored image, which goes into the store too, or
     * a base image from a rootfs ({@link ImageBuildService}).
     *
     * @throws dev.jetpack.engine.build.BuildFailedException when the command exits non-zero
     * @throws JetpackException                              when the image cannot be built or written
     */
    public ImageBuild buildImage(ImageBuildSpec spec) {
        return new ImageBuildService(this::sweptStore, settings, log, progress).build(spec);
    }

    /**
     * Starts the app of the stored image {@code spec} names, in the background ({@link AppRunner}): returns once
     * its pre-start handler succeeded and its process runs. Close the handle to remove everything.
     *
     * @throws dev.jetpack.engine.run.EventHandlerFailedException when the pre-start handler fails; nothing is left
     * @throws dev.jetpack.engine.run.RunException                 when the app cannot be run as asked
     */
    public AppRun start(AppRunSpec spec) {
        return new AppRunner(sweptStore(), settings, log).start(spec);
    }

    /**
     * Runs the app of the stored image {@code spec} names in the foreground ({@link AppRunner}): SIGINT and
     * SIGTERM are passed on to the app; everything is removed afterwards.
     *
     * @return the app's exit code (128+N when signal N killed it)
     */
    public int run(AppRunSpec spec) {
        return new AppRunner(sweptStore(), settings, log).run(spec);
    }

    /**
     * Removes the least recently used cached build stages until the rest take at most {@code maxBytes} (0:
     * all); waits for builds that use the cache to finish.
     */
    public StageCache.PruneResult pruneStages(long maxBytes) {
        return StageCache.inStore(store(), log).prune(maxBytes);
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
        return sweptStore().remove(find(image).id());
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

    /**
     * Writes a stored image to the OCI world ({@link OciExporter}): an OCI image layout or a docker/podman load
     * archive, as {@code options} say; the same image gives the same digests on every export.
     *
     * @param image as for {@link #find(String)}
     */
    public ExportedOciImage exportOci(String image, OciExportOptions options) {
        return new OciExporter(store(), log, progress).export(find(image), options);
    }

    /**
     * Pushes a stored image straight to a registry as {@code target} ({@link ImagePusher}): exported to OCI,
     * blobs the registry lacks uploaded, the manifest put under the tag.
     *
     * @param image as for {@link #find(String)}
     */
    public PushResult push(String image, RegistryReference target, PushOptions options) {
        return new ImagePusher(store(), log, progress).push(find(image), target, options);
    }

    private ImageExporter exporter() {
        return new ImageExporter(WriterOptions.builder().compression(settings.compression()).progress(progress)
                .blockCache(store().blockCache())
                .log(log).build(), log);
    }

    /** The effective settings, with the runtime resolved as a build would resolve it (probes the runtimes). */
    public Configuration config() {
        return Configuration.probe(settings);
    }

}
