package dev.jetpack.engine.build;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.JetpackSettings;
import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.aci.ReaderOptions;
import dev.jetpack.engine.aci.WriterOptions;
import dev.jetpack.engine.base.BaseImageMaker;
import dev.jetpack.engine.build.stage.StageCache;
import dev.jetpack.engine.io.AtomicFiles;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.ManifestCodec;
import dev.jetpack.engine.runtime.Runtimes;
import dev.jetpack.engine.store.ImageStore;
import dev.jetpack.engine.store.ImportOptions;
import dev.jetpack.engine.store.StoredImage;
import dev.jetpack.engine.store.WorkArea;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Builds the image an {@link ImageBuildSpec} describes: the one way both faces build. A derivative runs its
 * command (or the generated build script) in a container over the stored parent ({@link ImageBuilder}, the
 * seed's seven steps) and goes into the store as well; a base image is made from its rootfs
 * ({@link BaseImageMaker}). The manifest source, command and fingerprint follow {@link ImageBuildPlan}; the ACI
 * and the ID file are each written atomically.
 *
 * <p>With {@link ImageBuildSpec#reuseUnchanged()} an output whose inputs did not change since it was built is
 * reused without running anything ({@link IncrementalBuild}); the record that allows this is removed before a
 * build starts and written only once the ACI and the ID file are complete.
 */
public final class ImageBuildService {
    /** Directory in the store for the build containers (overlay upper and work dirs, mount points). */
    static final String CONTAINERS = "containers";

    /** Removes the build containers that killed JVMs left in {@code store} (see {@link BuildContainer#cleanStale}). */
    public static List<Path> removeStaleContainers(ImageStore store, EngineLog log) {
        return BuildContainer.cleanStale(store.root().resolve(CONTAINERS), log);
    }

    private final Supplier<ImageStore> store;
    private final JetpackSettings defaults;
    private final EngineLog log;
    private final ProgressListener progress;

    /**
     * @param store    the store, opened only when a build needs it (a base image does not)
     * @param defaults the runtime and compression of a spec that names none
     */
    public ImageBuildService(Supplier<ImageStore> store, JetpackSettings defaults, EngineLog log,
            ProgressListener progress) {
        this.store = Objects.requireNonNull(store, "store");
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.log = Objects.requireNonNull(log, "log");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * @throws BuildFailedException                when the command exits non-zero
     * @throws dev.jetpack.engine.JetpackException when the image cannot be built or written
     */
    public ImageBuild build(ImageBuildSpec spec) {
        Compression compression = spec.compression().orElse(defaults.compression());
        ImageBuildPlan plan = new ImageBuildPlan(spec, compression, log);
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
        ImageBuild built = spec.parent().isPresent()
                ? buildDerivative(spec.parent().get(), plan, spec, compression)
                : new ImageBuild(buildBase(plan, spec, compression), spec.output(), false, Optional.empty());
        if (spec.idFile().isPresent()) {
            writeImageId(spec.idFile().get(), built.id());
        }
        incremental.ifPresent(IncrementalBuild::remember);
        return built;
    }

    private ImageBuild buildDerivative(StoredImage parent, ImageBuildPlan plan, ImageBuildSpec spec,
            Compression compression) {
        log.info("Building " + spec.output().map(p -> p.getFileName() + " ").orElse("") + "on "
                + parent.describe() + (spec.environment().isEmpty() ? ""
                        : " with the variables " + new TreeSet<>(spec.environment().keySet())));
        ImageStore store = this.store.get();
        WorkArea work = store.workArea();
        Path aci = spec.output().orElseGet(() -> work.newFile(".aci"));
        Optional<StagePlan> stages = stagePlan(plan, spec, store);
        Optional<Path> scriptDirectory = plan.script().filter(script -> stages.isEmpty())
                .map(script -> work.newDirectory());
        try {
            List<Path> extraFiles = new ArrayList<>(spec.extraFiles());
            if (scriptDirectory.isPresent()) {
                extraFiles.add(plan.script().get().writeTo(scriptDirectory.get()));
            }
            BuildRequest.Builder request = BuildRequest.builder(parent.rootfs(), parent.manifest(), parent.id(), aci)
                    .runtime(Runtimes.select(spec.runtime().orElse(defaults.runtime()), log))
                    .compression(compression, spec.compressionLevel())
                    .containersDir(store.root().resolve(CONTAINERS))
                    .blockCache(store.blockCache())
                    .extraFiles(extraFiles)
                    .command(plan.command())
                    .environment(spec.environment())
                    .outputForm(spec.outputForm())
                    .manifestDefaults(spec.manifestDefaults())
                    .commandOutput(spec.commandOutput())
                    .log(log)
                    .progress(progress);
            plan.buildDirectory().ifPresent(request::buildDirectory);
            plan.givenManifest().ifPresent(request::givenManifest);
            spec.fixedTimestamp().ifPresent(request::fixedTimestamp);
            stages.ifPresent(request::stages);
            BuildResult result = new ImageBuilder().build(request.build());
            // A temporary output is never touched again, so the store may keep it by a hard link.
            StoredImage stored = store.importAci(result.aci(), ImportOptions.builder()
                    .source("build of " + parent.describe()).linkSourceFile(spec.output().isEmpty())
                    .readerOptions(ReaderOptions.ownOutput()).build());
            return new ImageBuild(stored.id(), spec.output(), false, Optional.of(stored));
        } catch (IOException e) {
            throw new BuildException("Cannot write the build script into " + scriptDirectory.orElse(null) + ": "
                    + e.getMessage() + ". Check free space in the store " + store.root() + ".", e);
        } finally {
            if (spec.output().isEmpty()) {
                work.deleteQuietly(aci);
            }
            scriptDirectory.ifPresent(work::deleteQuietly);
        }
    }

    /**
     * The stages when the spec asks for the stage cache and there are any; the cache lives in the store
     * ({@value StageCache#DIRECTORY}).
     */
    private Optional<StagePlan> stagePlan(ImageBuildPlan plan, ImageBuildSpec spec, ImageStore store) {
        if (!spec.stageCache().enabled()) {
            return Optional.empty();
        }
        List<BuildStage> stages = plan.stages();
        if (stages.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> noOverlay = BuildContainer.overlayUnavailableReason(store.root().resolve(CONTAINERS));
        if (noOverlay.isPresent()) {
            log.info("Building without the stage cache: stages are stacked as overlay layers, and "
                    + noOverlay.get());
            return Optional.empty();
        }
        return Optional.of(new StagePlan(stages, StageCache.inStore(store, log),
                spec.stageCache().maxBytes()));
    }

    /**
     * A base image: the manifest file as it is (makeaci), or the given manifest completed like any build's:
     * the defaults fill in the name and labels it lacks, then acKind, acVersion and the {@code timestamp}
     * annotation (the fixed timestamp, or now); the completed manifest must be valid.
     */
    private ImageId buildBase(ImageBuildPlan plan, ImageBuildSpec spec, Compression compression) {
        byte[] manifestJson = plan.verbatimManifest().orElseGet(() -> {
            ImageManifest given = plan.givenManifest().orElseGet(() -> new ImageManifest(null, null, null, null,
                    null, null, null, null));
            ImageManifest completed = ManifestMerger.forBaseImage(spec.manifestDefaults().applyTo(given),
                    spec.fixedTimestamp().orElseGet(Instant::now));
            return ManifestCodec.write(completed, false);
        });
        WriterOptions options = WriterOptions.builder()
                .compression(compression)
                .level(spec.compressionLevel())
                .fixedTimestamp(spec.fixedTimestamp().orElse(null))
                .progress(progress)
                .log(log)
                .build();
        return BaseImageMaker.make(spec.rootfs().orElseThrow(), manifestJson, spec.output().orElseThrow(), options,
                log).id();
    }

    private static void createParentDirectory(Path file) {
        Path directory = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new BuildException("Cannot create " + directory + " for " + file.getFileName() + ": " + e
                    + ". Check free space and permissions.", e);
        }
    }

    private static void writeImageId(Path file, ImageId id) {
        try {
            AtomicFiles.write(file, (id.value() + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BuildException("Cannot write the image ID to " + file + ": " + e + ". Check free space"
                    + " and permissions of " + file.toAbsolutePath().getParent() + ".", e);
        }
    }

    /** The ID in a file {@link #writeImageId} wrote (which {@link IncrementalBuild} found unchanged since). */
    private static ImageId readImageId(Path file) {
        try {
            return ImageId.parse(Files.readString(file).strip());
        } catch (IOException e) {
            throw new BuildException("Cannot read the image ID in " + file + ": " + e + ". Delete it to build"
                    + " the image again.", e);
        }
    }
}
