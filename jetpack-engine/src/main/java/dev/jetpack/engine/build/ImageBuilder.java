package dev.jetpack.engine.build;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.aci.AciWriter;
import dev.jetpack.engine.aci.BackgroundEntryListener;
import dev.jetpack.engine.aci.Ownership;
import dev.jetpack.engine.aci.WriterOptions;
import dev.jetpack.engine.io.AtomicFiles;
import dev.jetpack.engine.io.FileTrees;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.InvalidManifestException;
import dev.jetpack.engine.manifest.ManifestCodec;
import dev.jetpack.engine.runtime.ContainerSpec;
import dev.jetpack.engine.runtime.RunResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Builds a derivative image the way Jetpack's {@code build} did, in seven steps:
 * <ol>
 *   <li>a {@link BuildContainer} over the parent's rendered rootfs (an overlay mount where the kernel has
 *       overlayfs, a copy elsewhere);</li>
 *   <li>a work directory in the container's root ({@code .jetpack.build.}, or {@code .jetpack.build.<uuid>} when
 *       the parent has that path), mode 0700, holding the build directory's contents and the extra files;</li>
 *   <li>the command, run as root in the work directory by the request's container runtime; a non-zero exit
 *       fails the build with {@link BuildFailedException};</li>
 *   <li>{@code manifest.json} read from the work directory (missing or invalid: a {@link BuildException}; an
 *       invalid file is kept next to the output as {@code <output>.manifest.json.invalid});</li>
 *   <li>the manifest merged with the parent's defaults ({@link ManifestMerger});</li>
 *   <li>the work directory removed, and whatever only the container runtime put there (mount points such as
 *       {@code proc}, {@code dev}, {@code sys}, the {@code /etc/resolv.conf} bind target) when the parent did
 *       not have it: a file the image itself owns is never removed;</li>
 *   <li>the ACI written: {@link OutputForm#FLAT} holds the container's whole tree; {@link OutputForm#LAYERED}
 *       holds only what changed, with the parent as first dependency and, when something of the parent was
 *       deleted, a {@code pathWhitelist} listing every path of the new tree.</li>
 * </ol>
 *
 * <p>With a {@link StagePlan} steps 1 to 4 run once per stage ({@link StagedBuild}): each stage in its own
 * container over the cached stages before it, whose result goes into the stage cache; steps 4 to 7 then run in a
 * last container over all stages.
 *
 * <p>The output file appears complete or not at all. The container, its mounts and its directories are removed
 * when the build ends, whether it succeeds, fails or is interrupted.
 *
 * <p>Layered output without overlayfs: the copy-based container is compared with the parent tree (metadata
 * first, content when the metadata is equal), and the layer holds the entries that differ plus the directories
 * above them. That reads both trees, so it costs more than the overlay's upper dir, but gives the same image.
 */
final class ImageBuilder {
    /** A manifest larger than this is not a manifest; refusing it keeps a runaway build from filling memory. */
    static final long MAX_MANIFEST_BYTES = 16L * 1024 * 1024;

    /** Suffix of the copy of an invalid manifest kept next to the output for the user. */
    public static final String INVALID_MANIFEST_SUFFIX = ".manifest.json.invalid";

    /**
     * Runs the build described by {@code request} and writes its ACI.
     *
     * @throws BuildFailedException when the command exits non-zero
     * @throws BuildException       when an input, the manifest or a step is wrong (the message says which)
     */
    public BuildResult build(BuildRequest request) {
        EngineLog log = request.log();
        Path parentRootfs = request.parentRootfs().toAbsolutePath();
        Path output = request.output().toAbsolutePath();
        checkInputs(request, parentRootfs, output);
        Map<String, Path> inputs = collectInputs(request);
        request.runtime().unavailableReason().ifPresent(reason -> {
            throw new BuildException("Container runtime '" + request.runtime().name() + "' cannot run the build"
                    + " on this host: " + reason + ". Pick another runtime, or 'auto' to use the first that works.");
        });
        // A build that crashed or was killed left its container; its owner is gone, so it can go now.
        BuildContainer.cleanStale(request.containersDir(), log);
        if (request.stages().isPresent()) {
            return buildInStages(request, request.stages().get(), parentRootfs, output, inputs);
        }
        try (BuildContainer container = BuildContainer.create(parentRootfs, request.containersDir(),
                request.containerMode())) {
            Path root = container.root();
            log.info("Build container " + root + (container.isOverlay() ? " (overlay over " + parentRootfs + ")"
                    : " (copy of " + parentRootfs + ": " + container.fallbackReason().orElse("copy") + ")"));

            WorkDirectory work = WorkDirectory.create(root, parentRootfs);
            work.copy(inputs);
            log.debug("Work directory " + work.containerPath());

            RunResult run = runCommand(request, request.command(), root, work);

            ImageManifest merged;
            if (request.givenManifest().isPresent()) {
                merged = mergeGivenManifest(request, request.givenManifest().get(), output);
            } else {
                merged = mergeManifest(request, readManifest(work, output), output);
            }

            FileTrees.deleteRecursively(work.hostPath());
            removeRuntimeLeftovers(root, parentRootfs, run, log);

            return save(request, container, parentRootfs, merged, output);
        } catch (IOException e) {
            throw new BuildException("The build of " + output + " failed on a file operation: " + e
                    + ". Check free space and permissions of the containers directory "
                    + request.containersDir() + " and of " + output.getParent() + ".", e);
        }
    }

    /**
     * The stages over the stage cache ({@link StagedBuild}), then a last container over them all where the
     * manifest is read and the work directory removed before the ACI is written. Pruning to the size bound
     * follows, if no other build uses the cache at that moment.
     */
    private static BuildResult buildInStages(BuildRequest request, StagePlan plan, Path parentRootfs, Path output,
                                             Map<String, Path> inputs) {
        String workName = WorkDirectory.stageName(parentRootfs, request.parentId().value());
        try {
            try (var session = plan.cache().begin()) {
                List<Path> layers = StagedBuild.run(request, plan.stages(), inputs, session, workName);
                try (BuildContainer container = BuildContainer.createStacked(layers, request.containersDir())) {
                    Path root = container.root();
                    WorkDirectory work = WorkDirectory.openForStage(root, workName);
                    ImageManifest merged = request.givenManifest().isPresent()
                            ? mergeGivenManifest(request, request.givenManifest().get(), output)
                            : mergeManifest(request, readManifest(work, output), output);
                    FileTrees.deleteRecursively(work.hostPath());
                    return save(request, container, parentRootfs, merged, output);
                }
            } finally {
                plan.cache().pruneIfIdle(plan.maxBytes()).filter(pruned -> pruned.removed() > 0)
                        .ifPresent(pruned -> request.log().info("Stage cache over its bound of " + plan.maxBytes()
                                + " bytes: removed " + pruned.removed() + " least recently used stage(s)"));
            }
        } catch (IOException e) {
            throw new BuildException("The build of " + output + " failed on a file operation: " + e
                    + ". Check free space and permissions of the containers directory "
                    + request.containersDir() + ", the stage cache " + plan.cache().directory() + " and "
                    + output.getParent() + ".", e);
        }
    }

    private static void checkInputs(BuildRequest request, Path parentRootfs, Path output) {
        if (!Files.isDirectory(parentRootfs, LinkOption.NOFOLLOW_LINKS)) {
            throw new BuildException("Parent rootfs " + parentRootfs + " is not a directory: a build starts from"
                    + " the parent image rendered as a directory. Render (fetch) the parent image first.");
        }
        if (request.buildDirectory().isPresent()) {
            Path buildDirectory = request.buildDirectory().get().toAbsolutePath().normalize();
            if (request.containersDir().toAbsolutePath().normalize().startsWith(buildDirectory)) {
                throw new BuildException("The containers directory " + request.containersDir() + " is inside the"
                        + " build directory " + buildDirectory + ": copying the build directory into the container"
                        + " would copy the container into itself. Put the containers directory (the store)"
                        + " outside the build directory.");
            }
        }
        if (Files.isDirectory(output)) {
            throw new BuildException("Output " + output + " is a directory: the build writes one ACI file there."
                    + " Give a file name, e.g. " + output.resolve("image.aci") + ".");
        }
    }

    private static Map<String, Path> collectInputs(BuildRequest request) {
        try {
            return WorkDirectory.inputs(request.buildDirectory(), request.extraFiles());
        } catch (IOException e) {
            throw new BuildException("Cannot read the build inputs (" + request.buildDirectory().orElse(null)
                    + ", " + request.extraFiles() + "): " + e + ". Check that they are readable.", e);
        }
    }

    /** Step 3: the command as root in the work directory; its environment goes to the command only. */
    static RunResult runCommand(BuildRequest request, List<String> command, Path root, WorkDirectory work) {
        ContainerSpec spec = ContainerSpec.builder(root, command)
                .workingDirectory(work.containerPath())
                .environment(request.environment())
                .hostNetwork(request.hostNetwork())
                .resolvConf(request.resolvConf().orElse(null))
                .build();
        request.log().info("Running " + command + " with " + request.runtime().name());
        RunResult result = request.runtime().run(spec, request.commandOutput());
        if (!result.succeeded()) {
            throw new BuildFailedException(command, result.exitCode(), result.lastLines(),
                    request.runtime().name());
        }
        return result;
    }

    /** Step 4: the work directory's manifest.json, which the command or the build directory must provide. */
    private static byte[] readManifest(WorkDirectory work, Path output) throws IOException {
        Path manifest = work.manifest();
        // NOFOLLOW: the command could have replaced the work directory or the manifest with a symlink, which
        // the host would resolve against its own root.
        if (!Files.isDirectory(work.hostPath(), LinkOption.NOFOLLOW_LINKS)
                || !Files.exists(manifest, LinkOption.NOFOLLOW_LINKS)) {
            throw new BuildException("The build produced no " + work.containerPath() + "/"
                    + WorkDirectory.MANIFEST_NAME + ": the new image's manifest is read from there after the"
                    + " command. Put a static manifest.json in the build directory, or make the command write"
                    + " it; no image was written to " + output + ".");
        }
        BasicFileAttributes attributes = Files.readAttributes(manifest, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile()) {
            throw new BuildException("The build's " + work.containerPath() + "/" + WorkDirectory.MANIFEST_NAME
                    + " is not a regular file (a symbolic link, directory or device): the manifest must be a"
                    + " plain JSON file. Write the file itself; no image was written to " + output + ".");
        }
        if (attributes.size() > MAX_MANIFEST_BYTES) {
            throw new BuildException("The build's " + WorkDirectory.MANIFEST_NAME + " has " + attributes.size()
                    + " bytes, more than the " + MAX_MANIFEST_BYTES + " a manifest may have: check what the"
                    + " build writes there; no image was written to " + output + ".");
        }
        try (InputStream in = Files.newInputStream(manifest, LinkOption.NOFOLLOW_LINKS)) {
            return in.readAllBytes();
        }
    }

    /** Step 5; an invalid manifest is kept for the user, because the container and its copy are about to go. */
    private static ImageManifest mergeManifest(BuildRequest request, byte[] manifestJson, Path output)
            throws IOException {
        Instant timestamp = request.fixedTimestamp().orElseGet(Instant::now);
        try {
            ImageManifest child = ManifestCodec.read(manifestJson, "written by the build ("
                    + WorkDirectory.MANIFEST_NAME + " in the work directory)");
            return ManifestMerger.merge(request.manifestDefaults().applyTo(child), request.parentManifest(),
                    request.parentId(), new MergeOptions(timestamp, request.outputForm() == OutputForm.LAYERED));
        } catch (InvalidManifestException e) {
            Path kept = output.resolveSibling(output.getFileName() + INVALID_MANIFEST_SUFFIX);
            AtomicFiles.write(kept, manifestJson);
            throw new BuildException("The build's " + WorkDirectory.MANIFEST_NAME + " is not a valid image"
                    + " manifest: " + e.getMessage() + " The file is kept at " + kept + "; fix the manifest (or"
                    + " the command that writes it) and build again. No image was written to " + output + ".", e);
        }
    }

    /** Step 5 for a manifest given with the request: no file to keep, the caller has it. */
    private static ImageManifest mergeGivenManifest(BuildRequest request, ImageManifest given, Path output) {
        Instant timestamp = request.fixedTimestamp().orElseGet(Instant::now);
        try {
            return ManifestMerger.merge(request.manifestDefaults().applyTo(given), request.parentManifest(),
                    request.parentId(), new MergeOptions(timestamp, request.outputForm() == OutputForm.LAYERED));
        } catch (InvalidManifestException e) {
            throw new BuildException("The given image manifest is not valid: " + e.getMessage() + " Fix it and"
                    + " build again. No image was written to " + output + ".", e);
        }
    }

    /**
     * Step 6 (after the work directory): what the build put into the container only for itself. The runtime
     * already removed the mount points it created; this checks again, because an image must not gain
     * {@code proc} or an empty {@code /etc/resolv.conf} its parent did not have, and it never touches a path
     * the parent has.
     */
    static void removeRuntimeLeftovers(Path root, Path parentRootfs, RunResult run, EngineLog log)
            throws IOException {
        List<String> created = new ArrayList<>(run.createdPaths());
        created.removeAll(run.keptPaths());
        Collections.reverse(created); // deepest first
        for (String relative : created) {
            if (!reachableWithoutLinks(root, relative)
                    || reachableWithoutLinks(parentRootfs, relative)
                    && Files.exists(parentRootfs.resolve(relative), LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Path path = root.resolve(relative);
            if (isEmptyMountPoint(path)) {
                Files.deleteIfExists(path);
                log.debug("Removed mount point /" + relative + " that the runtime left behind");
            }
        }
        for (String relative : run.keptPaths()) {
            log.info("Keeping /" + relative + ": the runtime created it as a mount point, but the build command"
                    + " put content there, so it belongs to the image");
        }
    }

    /**
     * True when no directory on the way to {@code relative} is a symbolic link. The host resolves such a link
     * against its own root, so looking (or worse, deleting) through one could reach a host file; the runtime
     * resolved the paths it created, and the command had no business replacing their parents with links.
     */
    private static boolean reachableWithoutLinks(Path root, String relative) {
        Path current = root;
        Path parent = Path.of(relative).getParent();
        for (int i = 0; parent != null && i < parent.getNameCount(); i++) {
            current = current.resolve(parent.getName(i).toString());
            if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isEmptyMountPoint(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (attributes.isRegularFile()) {
            return attributes.size() == 0;
        }
        if (attributes.isDirectory()) {
            try (var entries = Files.newDirectoryStream(path)) {
                return !entries.iterator().hasNext();
            }
        }
        return false;
    }

    /** Step 7: the ACI, written to a temporary sibling and renamed into place only when complete. */
    private static BuildResult save(BuildRequest request, BuildContainer container, Path parentRootfs,
                                    ImageManifest merged, Path output) throws IOException {
        LayerSelection layer = request.outputForm() == OutputForm.LAYERED
                ? LayerSelection.layered(container, parentRootfs)
                : LayerSelection.flat(container.root());
        ImageManifest manifest = merged;
        if (layer.deletesFromParent()) {
            manifest = manifest.withPathWhitelist(NewTreeWhitelist.of(container.root()));
            request.log().info("The build deleted files of the parent: the layer lists all "
                    + manifest.pathWhitelist().size() + " paths of the new tree in pathWhitelist");
        }
        byte[] manifestJson = ManifestCodec.write(manifest, false);
        // The store's copy of the tree, laid out as the ACI is written: from the container's layers, whose files
        // are linked where the archive keeps them as they are.
        Optional<TreeMirror> mirror = request.storeTree().map(target -> new TreeMirror(target, layer.root(),
                layer.root().equals(container.root()) ? container.backingFiles() : layer.root()::resolve,
                request.log()));
        AciWriter.Result written;
        // The mirror runs beside the writer, on a thread of its own: a link or a write per entry, as costly as the
        // entry's tar record. close() ends that thread on every path, before the caller removes the staging tree.
        try (BackgroundEntryListener laidOut = mirror.map(m -> new BackgroundEntryListener(m, "jetpack-tree-mirror"))
                .orElse(null)) {
            WriterOptions options = WriterOptions.builder().compression(request.compression()).level(request.level())
                    .fixedTimestamp(request.fixedTimestamp().orElse(null))
                    .ownership(Ownership.PRESERVE)
                    .exclude(layer.exclude())
                    .progress(request.progress())
                    .blockCache(request.blockCache().orElse(null))
                    .entryListener(laidOut)
                    .log(request.log()).build();
            // AciWriter renames a temporary sibling into place only when the archive is complete.
            written = AciWriter.write(manifestJson, layer.root(), output, options);
        }
        if (mirror.isPresent()) {
            request.log().info("Laid out the image's tree in the store while writing it: " + mirror.get().linked()
                    + " files linked from the build's layers, " + mirror.get().written() + " written");
        }
        request.log().info("Wrote " + request.outputForm().name().toLowerCase(java.util.Locale.ROOT) + " image "
                + written.id() + " to " + output + " (" + written.fileSize() + " bytes"
                + (written.blocksReused() > 0 ? "; " + written.blocksReused() + " of " + written.blocks()
                        + " compressed blocks reused from the block cache, " + written.blocksRecognised()
                        + " of them known by what they are made of without hashing" : "") + ")");
        return new BuildResult(written.id(), output, manifest, manifestJson, request.outputForm(), written.tarSize(),
                written.fileSize(), request.runtime().name());
    }

    /**
     * The tree an ACI is written from and what of it stays out.
     *
     * <p>The overlay's upper dir is a complete record of the change only because {@link BuildContainer} mounts
     * with {@code userxattr}, which turns off metacopy (metadata-only copy-ups would leave files without data in
     * the upper dir) and redirect_dir (a renamed directory's content would stay in the lower dir).
     */
    record LayerSelection(Path root, Predicate<Path> exclude, boolean deletesFromParent) {
        static LayerSelection flat(Path root) {
            return new LayerSelection(root, path -> false, false);
        }

        /**
         * Overlay: the upper dir without its whiteouts. Copy: the entries that differ from the parent. Either
         * way, whether the parent lost anything decides if the manifest needs a pathWhitelist.
         */
        static LayerSelection layered(BuildContainer container, Path parentRootfs) throws IOException {
            if (!container.isOverlay() || container.isStacked()) {
                TreeComparison comparison = TreeComparison.compare(container.root(), parentRootfs);
                return new LayerSelection(container.root(), comparison::unchanged, comparison.deletesFromParent());
            }
            Path upper = container.upperDir();
            OverlayChanges changes = OverlayChanges.read(upper);
            Set<String> whiteouts = changes.deleted();
            boolean deletes = !whiteouts.isEmpty()
                    || hidesParentContent(changes.opaqueDirectories(), parentRootfs)
                    || replacesParentDirectory(changes.changed(), upper, parentRootfs);
            return new LayerSelection(upper, path -> whiteouts.contains(path.toString()), deletes);
        }

        /** An opaque directory hides the parent's entries below it: they are deleted unless re-created. */
        private static boolean hidesParentContent(Set<String> opaqueDirectories, Path parentRootfs)
                throws IOException {
            for (String directory : opaqueDirectories) {
                Path inParent = parentRootfs.resolve(directory);
                if (reachableWithoutLinks(parentRootfs, directory)
                        && Files.isDirectory(inParent, LinkOption.NOFOLLOW_LINKS)) {
                    try (var entries = Files.newDirectoryStream(inParent)) {
                        if (entries.iterator().hasNext()) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        /**
         * A file or link where the parent had a directory hides that directory's whole subtree without any
         * whiteout, so it counts as a deletion too.
         */
        private static boolean replacesParentDirectory(Set<String> changed, Path upper, Path parentRootfs) {
            for (String path : changed) {
                if (!Files.isDirectory(upper.resolve(path), LinkOption.NOFOLLOW_LINKS)
                        && reachableWithoutLinks(parentRootfs, path)
                        && Files.isDirectory(parentRootfs.resolve(path), LinkOption.NOFOLLOW_LINKS)) {
                    return true;
                }
            }
            return false;
        }
    }
}
