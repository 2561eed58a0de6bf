package dev.jetpack.engine.store;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.aci.ReaderOptions;
import dev.jetpack.engine.aci.compress.BlockCache;
import dev.jetpack.engine.io.InterProcessLock;
import dev.jetpack.engine.manifest.Dependency;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The local image store: images on disk, content-addressed by image ID, shared safely by several threads and
 * JVMs.
 *
 * <h2>Location</h2>
 * {@link #defaultLocation()}: the system property {@code jetpack.store}, else the environment variable
 * {@code JETPACK_STORE}, else {@code ~/.jetpack/store}.
 *
 * <h2>Layout</h2>
 * <pre>
 * ROOT/
 *   store.lock                 store-wide lock: shared while an import renders and commits, exclusive for remove
 *   images/sha512-HEX/         one complete image; it appears by one atomic rename and is never modified
 *     image.aci                the ACI exactly as received (compressed or not)
 *     manifest                 its manifest, the bytes from the ACI
 *     rootfs/                  the RENDERED root file system: dependencies laid below it, pathWhitelist
 *                              applied; ready to be a build container's read-only lower directory
 *     info.json                import time, source, IDs of the images its dependencies were rendered from
 *   locks/sha512-HEX.lock      per-image lock held while that image is committed
 *   tmp/NAME/ + tmp/NAME.lock  work in progress of one process, locked by it (see StagingArea)
 *   cache/                     caches of the fetch layer (e.g. HTTP validators), never needed for correctness
 * </pre>
 *
 * <h2>Import</h2>
 * {@link #importAci} is {@link #stage} then {@link #commit}; callers that must inspect an image before it may
 * become visible (the fetch layer checks signatures and names) call the two themselves. One pass over the ACI: the bytes are copied to {@code tmp/…/image.aci} while the reader decompresses,
 * hashes and unpacks them. The manifest is then parsed and validated, dependencies are resolved, the rootfs is
 * rendered, and the finished directory is renamed into {@code images/}. A failure, or a killed process, leaves
 * only a {@code tmp/} entry whose lock is free, which {@link #open} (and {@link #cleanup()}) deletes. Importing an
 * image that is already stored changes nothing and says so in the log: the stored copy is never touched.
 *
 * <h2>Concurrency</h2>
 * Operating-system file locks ({@link InterProcessLock}): two importers of the same image serialise on the
 * image's lock and the second one finds the image stored and does nothing; removal takes the store lock
 * exclusively, so it never runs while an image is rendered from a dependency it would delete. Lock order is
 * always image lock, then store lock, and no lock is held while dependencies are fetched.
 */
public final class ImageStore {
    /** System property that moves the store. */
    public static final String LOCATION_PROPERTY = "jetpack.store";
    /** Environment variable that moves the store when the system property is not set. */
    public static final String LOCATION_ENVIRONMENT = "JETPACK_STORE";

    static final String ACI_FILE = "image.aci";
    static final String MANIFEST_FILE = "manifest";
    static final String ROOTFS = "rootfs";
    static final String OWN_ROOTFS = "own-rootfs";

    /** Images being imported by this thread, outermost first: an import that needs one of them is a cycle. */
    private static final ThreadLocal<Deque<ImageId>> IMPORTS_IN_PROGRESS = ThreadLocal.withInitial(ArrayDeque::new);

    private final Path root;
    private final Path images;
    private final Path locks;
    private final EngineLog log;
    private final StagingArea staging;
    private final WorkArea workArea;
    private final StoredImages stored;
    private final InterProcessLock storeLock;

    private ImageStore(Path root, EngineLog log) {
        this.root = root;
        this.images = root.resolve("images");
        this.locks = root.resolve("locks");
        this.log = log;
        this.staging = new StagingArea(root.resolve("tmp"));
        this.workArea = new WorkArea(root.resolve(WorkArea.DIRECTORY), log);
        this.stored = new StoredImages(root, images);
        this.storeLock = InterProcessLock.forFile(root.resolve("store.lock"));
    }

    /**
     * Opens (creating if needed) the store at {@code root} and removes leftovers of processes that died while
     * working in it.
     */
    public static ImageStore open(Path root, EngineLog log) {
        ImageStore store = new ImageStore(root.toAbsolutePath().normalize(), log);
        try {
            Files.createDirectories(store.images);
            Files.createDirectories(store.locks);
        } catch (IOException e) {
            throw new StoreException("Cannot create the image store at " + root + ": " + e.getMessage()
                    + ". Choose a writable location with -D" + LOCATION_PROPERTY + "=DIR or " + LOCATION_ENVIRONMENT
                    + ".", e);
        }
        store.cleanup();
        return store;
    }

    /**
     * The store used when none is given: the system property {@value #LOCATION_PROPERTY}, else the environment
     * variable {@value #LOCATION_ENVIRONMENT}, else {@code .jetpack/store} in the user's home directory.
     */
    public static Path defaultLocation() {
        String property = System.getProperty(LOCATION_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property.trim());
        }
        String environment = System.getenv(LOCATION_ENVIRONMENT);
        if (environment != null && !environment.isBlank()) {
            return Path.of(environment.trim());
        }
        return Path.of(System.getProperty("user.home"), ".jetpack", "store");
    }

    public Path root() {
        return root;
    }

    /** The store's area for temporary files of operations on their way into the store. */
    public WorkArea workArea() {
        return workArea;
    }

    /** A directory for a cache of the fetch layer, e.g. {@code cache("http")}; created if missing. */
    public Path cacheDirectory(String purpose) {
        Path directory = root.resolve("cache").resolve(purpose);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new StoreException("Cannot create " + directory + " in the image store: " + e.getMessage(), e);
        }
        return directory;
    }

    /**
     * The cache of compressed ACI blocks ({@code cache/blocks}), bounded to {@link BlockCache#DEFAULT_MAX_BYTES}:
     * writing an image with it ({@link dev.jetpack.engine.aci.WriterOptions.Builder#blockCache}) compresses only the
     * blocks that are not there yet. Shared by every JVM using this store.
     */
    public BlockCache blockCache() {
        return new BlockCache(cacheDirectory("blocks"), BlockCache.DEFAULT_MAX_BYTES);
    }

    /**
     * Deletes what interrupted imports and removals left in {@code tmp/} (work whose process is gone); work in
     * progress, in this JVM or another, is left alone. {@link #open} does this already.
     *
     * @return the names of the removed leftovers
     */
    public List<String> cleanup() {
        try {
            List<String> removed = staging.removeAbandoned(log);
            if (!removed.isEmpty()) {
                log.info("Image store " + root + ": removed " + removed.size()
                        + " leftover(s) of interrupted operations");
            }
            return removed;
        } catch (IOException e) {
            throw new StoreException("Cannot clean up leftovers in " + root.resolve("tmp") + ": " + e.getMessage()
                    + ". Check the permissions of the store directory.", e);
        }
    }

    /**
     * Imports the ACI file {@code aci}; see {@link #importAci(InputStream, ImportOptions)}. With
     * {@link ImportOptions#linkSourceFile()} the file is hard-linked into the store rather than copied.
     */
    public StoredImage importAci(Path aci, ImportOptions options) {
        ImportOptions named = options.source().equals(ImportOptions.UNNAMED_SOURCE)
                ? options.toBuilder().source(aci.toString()).build() : options;
        if (options.linkSourceFile() && Files.isRegularFile(aci)) {
            return importAci(null, aci, named);
        }
        try (InputStream in = Files.newInputStream(aci)) {
            return importAci(in, null, named);
        } catch (NoSuchFileException e) {
            throw new StoreException("Cannot import " + aci + ": no such file. Give the path of an existing .aci"
                    + " file.", e);
        } catch (IOException e) {
            throw new StoreException("Cannot import " + aci + ": " + e.getMessage(), e);
        }
    }

    /**
     * Imports an ACI read from {@code aci} (read to its end, not closed) and returns the stored image. If the
     * image is stored already nothing changes (the log says so) and the stored image is returned.
     *
     * @throws JetpackException when the archive or its manifest is invalid, a dependency cannot be found or does
     *                          not match, or the disk fails; nothing is left visible in the store then
     */
    public StoredImage importAci(InputStream aci, ImportOptions options) {
        return importAci(aci, null, options);
    }

    private StoredImage importAci(InputStream aci, Path linkFrom, ImportOptions options) {
        try (StagedImage staged = stage(aci, linkFrom, options.source(), options.readerOptions())) {
            return commit(staged, options);
        }
    }

    /**
     * Reads an ACI from {@code aci} (to its end; not closed) into a private working directory, in one pass: the
     * bytes are copied to the staging {@code image.aci} exactly as they come while the reader decompresses,
     * hashes (the image ID) and unpacks them, so memory does not grow with the image and nothing is read twice.
     * The manifest is validated. Nothing is visible in the store until {@link #commit}; closing the result
     * without committing it deletes it.
     *
     * @param source where the bytes come from, for messages
     * @throws JetpackException when the archive or its manifest is invalid, the stream fails (its own exception,
     *                          e.g. a truncated download, passes unchanged), or the disk fails; nothing is kept
     */
    public StagedImage stage(InputStream aci, String source, ReaderOptions readerOptions) {
        return stage(aci, null, source, readerOptions);
    }

    private StagedImage stage(InputStream aci, Path linkFrom, String source, ReaderOptions readerOptions) {
        return new AciStaging(staging, this::importFailure).stage(aci, linkFrom, source,
                readerOptions.withDefaultLog(log));
    }

    /**
     * A private workspace for an image its builder lays out itself while writing the ACI
     * ({@link BuiltImageStaging}), so that storing a built image does not unpack it again.
     *
     * @param source where the image comes from, for messages
     */
    public BuiltImageStaging stageBuilt(String source) {
        try {
            return BuiltImageStaging.create(staging, source, this::importFailure);
        } catch (IOException e) {
            throw importFailure(source, e);
        }
    }

    /**
     * Makes a staged image a stored one: runs {@link ImportOptions#check()}, resolves its dependencies, renders
     * its rootfs and renames the finished directory into {@code images/}. If the image is stored already nothing
     * changes (the log says so) and the stored image is returned. The staged image is used up either way; close
     * it afterwards (that deletes whatever a failure left).
     *
     * @throws JetpackException when the check refuses the image, a dependency cannot be found or does not match,
     *                          or the disk fails; nothing is left visible in the store then
     */
    public StoredImage commit(StagedImage staged, ImportOptions options) {
        staged.claim();
        try {
            return store(staged.id(), staged.manifest(), staged.manifestJson(), staged.ownRootfs(),
                    staged.workspace(), options);
        } catch (IOException e) {
            throw importFailure(options.source(), e);
        }
    }

    private StoreException importFailure(String source, IOException e) {
        String full = dev.jetpack.engine.io.DiskSpace.hint(e, root);
        return new StoreException("Cannot import the image from " + source + ": " + e.getMessage()
                + ". Nothing was stored; " + (full.isEmpty() ? "check the source and free disk space in " + root
                + "." : full.strip()), e);
    }

    private StoredImage store(ImageId id, ImageManifest manifest, byte[] manifestJson, Path ownRootfs,
            StagingArea.Workspace workspace, ImportOptions options) throws IOException {
        Deque<ImageId> inProgress = IMPORTS_IN_PROGRESS.get();
        if (inProgress.contains(id)) {
            throw new StoreException("Dependency cycle: image " + manifest.name() + " (" + id.shortForm()
                    + ") depends, through " + describeChain(inProgress) + ", on itself. Fix the dependencies in"
                    + " the images' manifests.");
        }
        options.check().check(id, manifest);
        Optional<StoredImage> existing = get(id);
        if (existing.isPresent()) {
            return alreadyStored(existing.get(), options);
        }
        inProgress.push(id);
        try {
            List<StoredImage> dependencies = resolveDependencies(manifest, options);
            try (InterProcessLock.Held imageLock = InterProcessLock.forFile(locks.resolve(id + ".lock"))
                    .lockExclusive()) {
                existing = get(id);
                if (existing.isPresent()) {
                    // Another thread or process imported it while we were reading: keep theirs.
                    return alreadyStored(existing.get(), options);
                }
                try (InterProcessLock.Held shared = storeLock.lockShared()) {
                    renderAndPublish(id, manifest, manifestJson, ownRootfs, dependencies, workspace, options);
                }
            }
        } finally {
            inProgress.pop();
        }
        StoredImage stored = get(id).orElseThrow(() -> new StoreException("Image " + id + " vanished from "
                + images + " right after it was imported: another process removed it."));
        log.info("Imported " + stored.describe() + " from " + options.source() + " into " + root);
        return stored;
    }

    private void renderAndPublish(ImageId id, ImageManifest manifest, byte[] manifestJson, Path ownRootfs,
            List<StoredImage> dependencies, StagingArea.Workspace workspace, ImportOptions options)
            throws IOException {
        List<Path> dependencyRootfs = new ArrayList<>();
        for (StoredImage dependency : dependencies) {
            // Re-read under the store lock: a removal may have run since the dependency was resolved.
            StoredImage current = get(dependency.id()).orElseThrow(() -> new StoreException("Dependency "
                    + dependency.describe() + " of " + manifest.name() + " was removed from the store while "
                    + manifest.name() + " was being imported. Run the import again."));
            dependencyRootfs.add(current.rootfs());
        }
        Path directory = workspace.directory();
        RootfsRenderer.render(dependencyRootfs, ownRootfs, manifest.pathWhitelist(), directory.resolve(ROOTFS));
        Files.write(directory.resolve(MANIFEST_FILE), manifestJson);
        List<ImageId> dependencyIds = new ArrayList<>();
        for (StoredImage dependency : dependencies) {
            dependencyIds.add(dependency.id());
        }
        ImageInfo.write(directory, options.source(), dependencyIds);
        Files.move(directory, images.resolve(id.value()), StandardCopyOption.ATOMIC_MOVE);
    }

    private StoredImage alreadyStored(StoredImage stored, ImportOptions options) {
        log.info("Image " + stored.describe() + " from " + options.source() + " is already in the store "
                + root + "; nothing to import, the stored copy is used as it is");
        return stored;
    }

    private List<StoredImage> resolveDependencies(ImageManifest manifest, ImportOptions options) {
        List<StoredImage> resolved = new ArrayList<>();
        for (Dependency dependency : manifest.dependencies()) {
            resolved.add(resolveDependency(dependency, manifest.name(), options.dependencyResolver()));
        }
        return resolved;
    }

    /**
     * The stored image a dependency names: by its image ID when it has one, else the newest stored image with its
     * name and labels; else whatever {@code resolver} obtains. The result is checked against the dependency.
     */
    public StoredImage resolveDependency(Dependency dependency, String dependent, DependencyResolver resolver) {
        Optional<StoredImage> found;
        if (dependency.imageID() != null) {
            found = get(ImageId.parse(dependency.imageID()));
        } else {
            found = matching(dependency.reference()).stream().findFirst();
        }
        StoredImage image = found.orElseGet(() -> resolver.resolve(dependency, dependent, this));
        DependencyResolver.requireMatch(dependency, dependent, image);
        return image;
    }

    /** The stored image with exactly this ID, if there is one. */
    public Optional<StoredImage> get(ImageId id) {
        return stored.get(id);
    }

    public boolean contains(ImageId id) {
        return stored.contains(id);
    }

    /** All stored images, ordered by ID. */
    public List<StoredImage> list() {
        return stored.list();
    }

    /**
     * Finds an image the way users name one: a full image ID; an unambiguous ID prefix ({@code sha512-} plus at
     * least one hex digit, or at least six bare hex digits); or {@code NAME[:VERSION][,LABEL=VALUE...]} (see
     * {@link #find(ImageReference)}).
     *
     * @throws ImageNotFoundException when nothing matches
     * @throws StoreException         when an ID prefix matches several images (they are listed)
     */
    public StoredImage find(String what) {
        return stored.find(what);
    }

    /**
     * The newest stored image named {@code reference.name()} that has all of the reference's labels. "Newest" is
     * the highest {@code version} label (SemVer-like comparison), then the latest import. A requested version of
     * {@code latest} matches an image labelled {@code version=latest} if there is one and otherwise means
     * "any version".
     *
     * @throws ImageNotFoundException when no stored image matches
     */
    public StoredImage find(ImageReference reference) {
        return stored.find(reference);
    }

    /** The stored images matching {@code reference} (see {@link #find(ImageReference)}), newest first. */
    public List<StoredImage> matching(ImageReference reference) {
        return stored.matching(reference);
    }

    /** Highest version first; among equal versions the most recently imported first. */
    public static Comparator<StoredImage> newestFirst() {
        return NewestFirst.ORDER;
    }

    /** Built on first use: opening the store for a lookup by ID does not need it. */
    private static final class NewestFirst {
        static final Comparator<StoredImage> ORDER = Comparator
                .comparing((StoredImage image) -> image.label("version").orElse(null), VersionComparator.INSTANCE)
                .thenComparing(StoredImage::importedAt).reversed();
    }

    /**
     * Removes a stored image. Refused while another stored image was rendered from it (that image is named).
     *
     * @return the removed image, its manifest read before its files went
     * @throws ImageNotFoundException when no image has this ID
     */
    public StoredImage remove(ImageId id) {
        try (InterProcessLock.Held exclusive = storeLock.lockExclusive()) {
            StoredImage image = get(id).orElseThrow(() -> new ImageNotFoundException("Cannot remove image " + id
                    + ": it is not in the store " + root + "."));
            String description = image.describe();
            List<StoredImage> dependents = list().stream().filter(other -> other.dependencyIds().contains(id)
                    || other.manifest().dependencies().stream().anyMatch(d -> id.value().equals(d.imageID())))
                    .toList();
            if (!dependents.isEmpty()) {
                throw new StoreException("Cannot remove " + description + ": stored image(s) "
                        + dependents.stream().map(StoredImage::describe).collect(Collectors.joining(", "))
                        + " depend on it. Remove those first.");
            }
            try (StagingArea.Workspace workspace = staging.create("remove")) {
                // One rename makes the image disappear; deleting the files may then take its time (and if the
                // process dies meanwhile, the next cleanup finishes the job).
                Files.move(image.directory(), workspace.directory().resolve("image"), StandardCopyOption.ATOMIC_MOVE);
            }
            log.info("Removed " + description + " from " + root);
            return image;
        } catch (IOException e) {
            throw new StoreException("Cannot remove image " + id + " from " + root + ": " + e.getMessage(), e);
        }
    }

    private static String describeChain(Deque<ImageId> chain) {
        List<String> ids = new ArrayList<>();
        chain.descendingIterator().forEachRemaining(id -> ids.add(id.shortForm()));
        return String.join(" -> ", ids);
    }

    @Override
    public String toString() {
        return "ImageStore[" + root + "]";
    }
}
