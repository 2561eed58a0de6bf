package dev.jetpack.engine;

import dev.jetpack.engine.aci.AciWriter;
import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.aci.WriterOptions;
import dev.jetpack.engine.base.BaseImageMaker;
import dev.jetpack.engine.base.RootfsSource;
import dev.jetpack.engine.build.BuildRequest;
import dev.jetpack.engine.build.BuildResult;
import dev.jetpack.engine.build.ImageBuildPlan;
import dev.jetpack.engine.build.ImageBuildSpec;
import dev.jetpack.engine.build.ImageBuilder;
import dev.jetpack.engine.build.IncrementalBuild;
import dev.jetpack.engine.build.ManifestDefaults;
import dev.jetpack.engine.build.ManifestMerger;
import dev.jetpack.engine.fetch.FetchOptions;
import dev.jetpack.engine.fetch.ImageImporter;
import dev.jetpack.engine.fetch.ImageFetcher;
import dev.jetpack.engine.fetch.trust.KeyAcceptance;
import dev.jetpack.engine.fetch.trust.KeyFetcher;
import dev.jetpack.engine.fetch.trust.TrustScope;
import dev.jetpack.engine.fetch.trust.TrustStore;
import dev.jetpack.engine.fetch.trust.TrustedKey;
import dev.jetpack.engine.build.BuildContainer;
import dev.jetpack.engine.io.AtomicFiles;
import dev.jetpack.engine.io.FileTrees;
import dev.jetpack.engine.io.ProcessStamp;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.ManifestCodec;
import dev.jetpack.engine.manifest.ManifestValidator;
import dev.jetpack.engine.runtime.ContainerException;
import dev.jetpack.engine.runtime.ContainerRuntime;
import dev.jetpack.engine.runtime.Runtimes;
import dev.jetpack.engine.store.ImageStore;
import dev.jetpack.engine.store.ImportOptions;
import dev.jetpack.engine.store.StoredImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The engine's user-level operations, one method each, as the command line and the Maven plugin offer them.
 *
 * <p>This class only wires the packages together (store, fetch, build, runtime, aci): every rule lives in the
 * package that owns it, so both faces behave the same by construction. The store is opened on first use, so
 * that e.g. {@link #config()} works even where the store cannot be created.
 */
public final class Jetpack {
    private final JetpackSettings settings;
    private final EngineLog log;
    private final ProgressListener progress;
    private ImageStore store;

    /**
     * @param settings store location, runtime and compression
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
     * killed runs left behind (see {@link #removeStaleWork()}).
     */
    public synchronized ImageStore store() {
        if (store == null) {
            store = ImageStore.open(settings.storeLocation(), log);
            removeStaleWork();
        }
        return store;
    }

    /**
     * Removes what processes killed in the middle of a build or fetch ({@code kill -9}, a crash, a power loss)
     * left behind, and nothing of a run that is still going, in this JVM or another: OCI containers named after
     * a dead JVM and still running the build command ({@code delete -f}) with their bundles, build containers
     * (overlay mounts, upper dirs, copies) of dead JVMs, and temporary build outputs and downloads of dead JVMs.
     * The store's own import leftovers are removed by {@link ImageStore#open}. Runs on first use of the store.
     *
     * @return what was removed
     */
    public List<String> removeStaleWork() {
        java.util.List<String> removed = new java.util.ArrayList<>();
        // Containers first: a live container keeps its overlay mount busy.
        removed.addAll(Runtimes.removeStaleContainers(log));
        ImageStore opened = store();
        BuildContainer.cleanStale(opened.root().resolve(CONTAINERS), log).forEach(path -> removed.add(path.toString()));
        removed.addAll(opened.workArea().removeAbandoned());
        return removed;
    }

    /**
     * Fetches an image into the store from an image ID or prefix (store only), a path or {@code file:} URL, an
     * {@code http(s):} URL, or a name with labels (store first, then appc discovery with a required signature);
     * see {@link ImageFetcher}. Signatures are verified against the trust store unless {@code options} has its
     * own check; progress goes to this facade's listener unless {@code options} has one.
     */
    public StoredImage fetch(String image, FetchOptions options) {
        return new ImageFetcher(store(), log).fetch(image, options.completedWith(progress, this::trustStore));
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
        return new ImageImporter(store(), this::trustStore, progress, log);
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

    /** A fresh path in the store's work area for downloads and spooled input on their way into the store. */
    private Path temporaryFile() {
        return store().workArea().newFile(".aci");
    }

    /** A fresh directory in the store's work area (e.g. for the build script). */
    private Path temporaryDirectory() {
        return store().workArea().newDirectory();
    }

    private void deleteTreeQuietly(Path directory) {
        store().workArea().deleteQuietly(directory);
    }

    /**
     * Builds a derivative of the stored image {@code baseImage} (the seed's seven steps, see
     * {@link ImageBuilder}) and imports the result into the store.
     *
     * <p>This method fills in what comes from the store and the settings: the parent's rendered rootfs,
     * manifest and ID, the container runtime ({@link JetpackSettings#runtime()}), the compression, the build
     * containers' directory in the store, log and progress. {@code details} sets the rest on the request: the
     * command (required), build directory, extra files, environment, output form, fixed timestamp, command
     * output.
     *
     * <p>The faces build through {@link #buildImage}, which comes down to this call for a derivative; this one
     * is the lower level, for callers that set the request's details themselves (container mode, network).
     *
     * @param output where the ACI is kept as well; empty: only in the store
     * @throws dev.jetpack.engine.build.BuildFailedException when the command exits non-zero
     */
    public BuiltImage build(String baseImage, Optional<Path> output, Consumer<BuildRequest.Builder> details) {
        StoredImage parent = find(baseImage);
        ContainerRuntime runtime = selectRuntime(log);
        Path aci = output.orElseGet(this::temporaryFile);
        BuildRequest.Builder request = BuildRequest.builder(parent.rootfs(), parent.manifest(), parent.id(), aci)
                .runtime(runtime)
                .compression(settings.compression())
                .containersDir(store().root().resolve(CONTAINERS))
                .log(log)
                .progress(progress);
        details.accept(request);
        try {
            BuildResult result = new ImageBuilder().build(request.build());
            // A temporary output is never touched again, so the store may keep it by a hard link.
            StoredImage stored = store().importAci(result.aci(), ImportOptions.builder()
                    .source("build of " + parent.describe()).linkSourceFile(output.isEmpty()).build());
            return new BuiltImage(stored, result);
        } finally {
            if (output.isEmpty()) {
                deleteQuietly(aci);
            }
        }
    }

    /** A derivative build's result: the image as stored, and what the builder reported. */
    public record BuiltImage(StoredImage image, BuildResult build) {
    }

    /**
     * Builds the image {@code spec} describes, the one path both faces take: a derivative of a stored image
     * (the command, or the generated build script, runs in a container over it; the result also goes into the
     * store) or a base image from a rootfs. The manifest source, command and fingerprint follow the rules of
     * {@link ImageBuildPlan}. The ACI and the ID file are each written atomically.
     *
     * <p>With {@link ImageBuildSpec#reuseUnchanged()} an output whose inputs did not change since it was built
     * is reused without running anything ({@link IncrementalBuild}); the record that allows this is removed
     * before a build starts and written only once the ACI and the ID file are complete.
     *
     * @throws dev.jetpack.engine.build.BuildFailedException when the command exits non-zero
     * @throws JetpackException                              when the image cannot be built or written
     */
    public ImageBuild buildImage(ImageBuildSpec spec) {
        Optional<StoredImage> parent = spec.parentImage().map(this::find);
        ImageBuildPlan plan = new ImageBuildPlan(spec, parent.map(StoredImage::id), settings.compression(), log);
        Optional<IncrementalBuild> incremental = spec.reuseUnchanged()
                ? Optional.of(new IncrementalBuild(plan.fingerprint(), spec.output().orElseThrow(),
                        spec.idFile().orElseThrow(), log))
                : Optional.empty();
        if (incremental.isPresent() && incremental.get().decide().reuse()) {
            return new ImageBuild(readImageId(spec.idFile().get()), spec.output(), true, Optional.empty());
        }
        if (spec.output().isPresent()) {
            // Gone before the build starts: an interrupted build must never leave a record that matches.
            IncrementalBuild.forget(spec.output().get());
            createParentDirectory(spec.output().get());
        }
        ImageBuild built = parent.isPresent() ? buildDerivative(parent.get(), plan, spec)
                : new ImageBuild(buildBase(plan, spec), spec.output(), false, Optional.empty());
        if (spec.idFile().isPresent()) {
            writeImageId(spec.idFile().get(), built.id());
        }
        incremental.ifPresent(IncrementalBuild::remember);
        return built;
    }

    /**
     * What {@link #buildImage} produced.
     *
     * @param id     the image's ID
     * @param aci    the ACI file, when the spec asked for one
     * @param reused true when the output of the last build was up to date and nothing was built
     * @param stored the image as stored (derivatives that were built)
     */
    public record ImageBuild(ImageId id, Optional<Path> aci, boolean reused, Optional<StoredImage> stored) {
    }

    private ImageBuild buildDerivative(StoredImage parent, ImageBuildPlan plan, ImageBuildSpec spec) {
        Optional<Path> buildDirectory = plan.buildDirectory();
        log.info("Building " + spec.output().map(p -> p.getFileName() + " ").orElse("") + "on "
                + parent.describe() + (spec.environment().isEmpty() ? ""
                        : " with the variables " + new java.util.TreeSet<>(spec.environment().keySet())));
        Path scriptDirectory = plan.script().isPresent() ? temporaryDirectory() : null;
        try {
            List<Path> extraFiles = new java.util.ArrayList<>(spec.extraFiles());
            if (scriptDirectory != null) {
                extraFiles.add(plan.script().get().writeTo(scriptDirectory));
            }
            BuiltImage built = build(parent.id().value(), spec.output(), request -> {
                buildDirectory.ifPresent(request::buildDirectory);
                request.extraFiles(extraFiles)
                        .command(plan.command())
                        .environment(spec.environment())
                        .outputForm(spec.outputForm())
                        .manifestDefaults(spec.manifestDefaults())
                        .commandOutput(spec.commandOutput());
                plan.givenManifest().ifPresent(request::givenManifest);
                spec.fixedTimestamp().ifPresent(request::fixedTimestamp);
            });
            return new ImageBuild(built.image().id(), spec.output(), false, Optional.of(built.image()));
        } catch (IOException e) {
            throw new JetpackException("Cannot write the build script into " + scriptDirectory + ": "
                    + e.getMessage() + ". Check free space in the store " + store().root() + ".", e);
        } finally {
            if (scriptDirectory != null) {
                deleteTreeQuietly(scriptDirectory);
            }
        }
    }

    private ImageId buildBase(ImageBuildPlan plan, ImageBuildSpec spec) {
        ImageManifest manifest = plan.givenManifest().orElseGet(() -> new ImageManifest(null, null, null, null,
                null, null, null, null));
        return makeBaseImage(spec.rootfs().orElseThrow(), spec.baseDirectory(), manifest, spec.manifestDefaults(),
                spec.output().orElseThrow(), spec.fixedTimestamp()).id();
    }

    private static void createParentDirectory(Path file) {
        Path directory = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new JetpackException("Cannot create " + directory + " for " + file.getFileName() + ": " + e
                    + ". Check free space and permissions.", e);
        }
    }

    private static void writeImageId(Path file, ImageId id) {
        try {
            AtomicFiles.write(file, (id.value() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new JetpackException("Cannot write the image ID to " + file + ": " + e + ". Check free space"
                    + " and permissions of " + file.toAbsolutePath().getParent() + ".", e);
        }
    }

    /** The ID in a file {@link #writeImageId} wrote (which {@link IncrementalBuild} found unchanged since). */
    private static ImageId readImageId(Path file) {
        try {
            return ImageId.parse(Files.readString(file).strip());
        } catch (IOException e) {
            throw new JetpackException("Cannot read the image ID in " + file + ": " + e + ". Delete it to build"
                    + " the image again.", e);
        }
    }

    /** Directory in the store for the build containers (overlay upper and work dirs, mount points). */
    static final String CONTAINERS = "containers";

    private void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not delete the temporary build output " + file + ": " + e.getMessage());
        }
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
     * Writes a stored image as an ACI to {@code out}: the ACI exactly as it was stored, or with {@code flat} the
     * rendered tree (dependencies applied) as a self-contained ACI without dependencies and pathWhitelist,
     * compressed with the configured compression.
     *
     * @return the ID of the image written (a flat export has an ID of its own)
     */
    public ImageId export(String image, boolean flat, OutputStream out) {
        StoredImage found = find(image);
        try {
            if (!flat) {
                try (InputStream in = Files.newInputStream(found.aciFile())) {
                    in.transferTo(out);
                }
                out.flush();
                return found.id();
            }
            return AciWriter.write(flatManifest(found), found.rootfs(), out, writerOptions(null)).id();
        } catch (IOException e) {
            throw new JetpackException("Cannot export " + found.describe() + ": " + e.getMessage()
                    + ". Check that the output can be written.", e);
        }
    }

    /** {@link #export(String, boolean, OutputStream)} into {@code file}, which appears complete or not at all. */
    public ImageId export(String image, boolean flat, Path file) {
        StoredImage found = find(image);
        ImageId[] written = new ImageId[1];
        try {
            AtomicFiles.write(file, out -> written[0] = export(found.id().value(), flat, out));
        } catch (IOException e) {
            throw new JetpackException("Cannot export " + found.describe() + " to " + file + ": " + e.getMessage()
                    + ". Check that the directory exists and is writable.", e);
        }
        log.info("Exported " + (flat ? "flat " : "") + found.describe() + " to " + file);
        return written[0];
    }

    private static byte[] flatManifest(StoredImage image) {
        ImageManifest flat = image.manifest().withDependencies(List.of()).withPathWhitelist(List.of());
        return ManifestCodec.write(flat, false);
    }

    /**
     * Makes a base image, the counterpart of Jetpack's makeaci.sh without fakeroot: {@code rootfs} is a rootfs
     * tarball (plain, gzip, bzip2 or xz) or a directory; {@code manifest} a manifest file, which must be a valid
     * image manifest and goes into the ACI byte for byte. The output is written atomically with the configured
     * compression.
     *
     * @param timestamp for a reproducible image: every entry's time; empty keeps the tarball's or files' times
     */
    public AciWriter.Result makeAci(Path rootfs, Path manifest, Path output, Optional<Instant> timestamp) {
        byte[] manifestJson;
        try {
            manifestJson = Files.readAllBytes(manifest);
        } catch (NoSuchFileException e) {
            throw new JetpackException("The manifest " + manifest + " does not exist. Give the path of the image's"
                    + " manifest JSON file.", e);
        } catch (IOException e) {
            throw new JetpackException("Cannot read the manifest " + manifest + ": " + e.getMessage(), e);
        }
        ManifestValidator.requireValid(ManifestCodec.read(manifestJson, manifest.toString()), manifest.toString());
        return makeAci(rootfs, manifestJson, output, timestamp);
    }

    /**
     * Makes a base image for a face that completes the manifest (the Maven plugin): {@code defaults} fill in the
     * name and labels the manifest lacks, then acKind, acVersion and the {@code timestamp} annotation
     * ({@code timestamp}, or now) as for any build; the completed manifest must be valid.
     *
     * @param rootfs a tarball or directory, {@code host:} (the host's own binaries and libraries: needs no
     *               download), {@code host:CMD,CMD...} or {@code busybox:}; see {@link RootfsSource}
     * @param baseDirectory where a relative rootfs path is resolved
     * @param timestamp for a reproducible image: every entry's time and the timestamp annotation
     */
    public AciWriter.Result makeBaseImage(String rootfs, Path baseDirectory, ImageManifest manifest,
            ManifestDefaults defaults, Path output, Optional<Instant> timestamp) {
        ImageManifest completed = ManifestMerger.forBaseImage(defaults.applyTo(manifest),
                timestamp.orElseGet(Instant::now));
        byte[] manifestJson = ManifestCodec.write(completed, false);
        RootfsSource source = RootfsSource.parse(rootfs, baseDirectory);
        if (source instanceof RootfsSource.Existing existing) {
            return makeAci(existing.path(), manifestJson, output, timestamp);
        }
        Path directory = output.toAbsolutePath().resolveSibling(".jetpack-rootfs-" + UUID.randomUUID());
        try {
            log.info("Making the rootfs " + rootfs.trim() + " from the host in " + directory);
            source.materialize(directory);
            return makeAci(directory, manifestJson, output, timestamp);
        } finally {
            try {
                FileTrees.deleteRecursively(directory);
            } catch (IOException e) {
                log.warn("Could not remove the temporary rootfs " + directory + ": " + e.getMessage());
            }
        }
    }

    private AciWriter.Result makeAci(Path rootfs, byte[] manifestJson, Path output, Optional<Instant> timestamp) {
        WriterOptions options = writerOptions(timestamp.orElse(null));
        AciWriter.Result result;
        if (Files.isDirectory(rootfs)) {
            result = BaseImageMaker.fromDirectory(rootfs, manifestJson, output, options);
        } else if (Files.isRegularFile(rootfs)) {
            result = BaseImageMaker.fromTarball(rootfs, manifestJson, output, options);
        } else {
            throw new JetpackException("The rootfs " + rootfs + " is neither a tarball nor a directory"
                    + (Files.exists(rootfs, LinkOption.NOFOLLOW_LINKS) ? "" : " (it does not exist)")
                    + ". Give a rootfs tarball (tar, tar.gz, tar.bz2, tar.xz) or a directory.");
        }
        log.info("Made base image " + result.id() + " in " + output + " (" + result.fileSize() + " bytes)");
        return result;
    }

    private WriterOptions writerOptions(Instant timestamp) {
        return WriterOptions.builder().compression(settings.compression())
                .fixedTimestamp(timestamp)
                .progress(progress)
                .log(log).build();
    }

    /**
     * The effective settings, with the runtime resolved as a build would resolve it (this probes the
     * runtimes once).
     */
    public Configuration config() {
        List<Configuration.RuntimeStatus> statuses = Runtimes.all().stream()
                .map(runtime -> new Configuration.RuntimeStatus(runtime.name(), runtime.unavailableReason()))
                .toList();
        Optional<String> resolved;
        Optional<String> problem;
        try {
            resolved = Optional.of(selectRuntime(EngineLog.SILENT).name());
            problem = Optional.empty();
        } catch (ContainerException e) {
            resolved = Optional.empty();
            problem = Optional.of(e.getMessage());
        }
        return new Configuration(settings.storeLocation().toAbsolutePath().normalize(), settings.runtime(), resolved,
                problem, statuses, settings.compression());
    }

    private ContainerRuntime selectRuntime(EngineLog runtimeLog) {
        return Runtimes.select(settings.runtime(), runtimeLog);
    }
}
