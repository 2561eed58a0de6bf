package dev.jetpack.engine.build;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.aci.compress.BlockCache;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.runtime.ContainerRuntime;
import dev.jetpack.engine.runtime.OutputSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one derivative build needs (the seed's {@code jetpack build [-dir] [-cp ...] BASE COMMAND ARGS}).
 * Start with {@link #builder}; the defaults are documented on the builder's methods.
 *
 * @param parentRootfs    the parent image rendered as a directory (read only: the build never changes it)
 * @param parentManifest  the parent's manifest, for the merge (os/arch labels, dependency)
 * @param parentId        the parent's image ID, recorded as the dependency of layered output
 * @param buildDirectory  whose contents are copied into the work directory; empty: the work directory starts
 *                        empty (the command line defaults to the current directory)
 * @param extraFiles      further files or directories copied into the work directory under their own names
 *                        ({@code -cp})
 * @param command         the command and its arguments, run as root in the work directory
 * @param environment     the command's environment (the counterpart of Jetpack's BUILD_VARS, e.g. proxies);
 *                        it is given to the command only and never written to the manifest or the image
 * @param runtime         the container runtime that runs the command
 * @param outputForm      flat (default) or layered
 * @param compression     the ACI's compression
 * @param level           compression level, -1 for the compression's default
 * @param fixedTimestamp  for reproducible builds: every entry's time in the ACI and the manifest's
 *                        {@code timestamp} annotation (unless the manifest has one)
 * @param output          the ACI file to write; written completely or not at all
 * @param containersDir   work area for build containers (overlay upper/work dirs, mount points)
 * @param containerMode   overlay where it works (default), or force overlay or a copy of the parent
 * @param resolvConf      host file bound read-only at {@code /etc/resolv.conf} while the command runs, so that
 *                        package installs resolve names; empty: none
 * @param hostNetwork     whether the command shares the host's network (default true)
 * @param log             where the build reports its steps
 * @param commandOutput   receives the command's output live, line by line
 * @param progress        progress of writing the ACI
 * @param givenManifest   the new image's manifest when it is not read from the work directory's
 *                        {@code manifest.json} (e.g. the Maven plugin's {@code <manifest>}); the work directory's
 *                        file is then ignored
 * @param manifestDefaults name and labels the manifest gets where it has none of its own
 * @param blockCache      compressed blocks to reuse when writing the ACI (the store's); empty: compress all
 * @param stages          run as stages over the stage cache instead of {@code command} at once; empty: at once
 * @param storeTree       an empty directory (the store's staging rootfs) to lay out the image's tree in while the
 *                        ACI is written ({@link TreeMirror}), so that the store need not unpack it; empty: none
 */
record BuildRequest(Path parentRootfs, ImageManifest parentManifest, ImageId parentId,
                           Optional<Path> buildDirectory, List<Path> extraFiles, List<String> command,
                           Map<String, String> environment, ContainerRuntime runtime, OutputForm outputForm,
                           Compression compression, int level, Optional<Instant> fixedTimestamp, Path output,
                           Path containersDir, BuildContainer.Mode containerMode, Optional<Path> resolvConf,
                           boolean hostNetwork, EngineLog log,
                           OutputSink commandOutput, ProgressListener progress,
                           Optional<ImageManifest> givenManifest, ManifestDefaults manifestDefaults,
                           Optional<BlockCache> blockCache,
                           Optional<StagePlan> stages, Optional<Path> storeTree) {
    /** The host's resolver configuration, bound into the container by default. */
    public static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");

    public BuildRequest {
        Objects.requireNonNull(parentRootfs, "parentRootfs");
        Objects.requireNonNull(parentManifest, "parentManifest");
        Objects.requireNonNull(parentId, "parentId");
        Objects.requireNonNull(buildDirectory, "buildDirectory");
        extraFiles = List.copyOf(extraFiles);
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new BuildException("The build has no command: a derivative build runs COMMAND ARGS in the"
                    + " container to make the new image. Give the command to run.");
        }
        environment = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(outputForm, "outputForm");
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(fixedTimestamp, "fixedTimestamp");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(containersDir, "containersDir");
        Objects.requireNonNull(containerMode, "containerMode");
        Objects.requireNonNull(resolvConf, "resolvConf");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(commandOutput, "commandOutput");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(givenManifest, "givenManifest");
        Objects.requireNonNull(manifestDefaults, "manifestDefaults");
        Objects.requireNonNull(blockCache, "blockCache");
        Objects.requireNonNull(stages, "stages");
        Objects.requireNonNull(storeTree, "storeTree");
    }

    /**
     * Starts a request with the four things every build needs.
     *
     * @param parentRootfs   the parent image rendered as a directory
     * @param parentManifest the parent's manifest
     * @param parentId       the parent's image ID
     * @param output         the ACI file to write
     */
    static Builder builder(Path parentRootfs, ImageManifest parentManifest, ImageId parentId, Path output) {
        return new Builder(parentRootfs, parentManifest, parentId, output);
    }

    /** Builds a {@link BuildRequest}. */
    static final class Builder {
        private final Path parentRootfs;
        private final ImageManifest parentManifest;
        private final ImageId parentId;
        private final Path output;
        private Path buildDirectory;
        private BlockCache blockCache;
        private final List<Path> extraFiles = new ArrayList<>();
        private final List<String> command = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private ContainerRuntime runtime;
        private OutputForm outputForm = OutputForm.FLAT;
        private Compression compression = Compression.DEFAULT;
        private int level = -1;
        private Instant fixedTimestamp;
        private Path containersDir;
        private BuildContainer.Mode containerMode = BuildContainer.Mode.AUTO;
        private Path resolvConf = Files.isRegularFile(HOST_RESOLV_CONF) ? HOST_RESOLV_CONF : null;
        private boolean hostNetwork = true;
        private EngineLog log = EngineLog.SILENT;
        private OutputSink commandOutput = OutputSink.DISCARD;
        private ProgressListener progress = ProgressListener.NONE;
        private ImageManifest givenManifest;
        private ManifestDefaults manifestDefaults = ManifestDefaults.NONE;
        private StagePlan stages;
        private Path storeTree;

        private Builder(Path parentRootfs, ImageManifest parentManifest, ImageId parentId, Path output) {
            this.parentRootfs = parentRootfs;
            this.parentManifest = parentManifest;
            this.parentId = parentId;
            this.output = output;
        }

        /** The build directory whose contents go into the work directory; default none (empty work dir). */
        public Builder buildDirectory(Path directory) {
            this.buildDirectory = directory;
            return this;
        }

        /** Adds an extra file or directory ({@code -cp}), copied into the work directory under its name. */
        public Builder extraFile(Path file) {
            extraFiles.add(Objects.requireNonNull(file, "file"));
            return this;
        }

        public Builder extraFiles(List<Path> files) {
            files.forEach(this::extraFile);
            return this;
        }

        /** The command and its arguments (required). */
        public Builder command(List<String> commandAndArgs) {
            command.clear();
            command.addAll(commandAndArgs);
            return this;
        }

        public Builder command(String... commandAndArgs) {
            return command(List.of(commandAndArgs));
        }

        /** A variable for the command's environment only; never saved in the image. */
        public Builder env(String name, String value) {
            environment.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder environment(Map<String, String> variables) {
            variables.forEach(this::env);
            return this;
        }

        /** The runtime that runs the command (required). */
        public Builder runtime(ContainerRuntime containerRuntime) {
            this.runtime = containerRuntime;
            return this;
        }

        /** Default {@link OutputForm#FLAT}. */
        public Builder outputForm(OutputForm form) {
            this.outputForm = form;
            return this;
        }

        /** Default none: every block of the ACI is compressed. */
        public Builder blockCache(BlockCache cache) {
            this.blockCache = cache;
            return this;
        }

        /** Default: {@link Compression#DEFAULT} at its default level. */
        public Builder compression(Compression aciCompression, int compressionLevel) {
            this.compression = aciCompression;
            this.level = compressionLevel;
            return this;
        }

        public Builder compression(Compression aciCompression) {
            return compression(aciCompression, -1);
        }

        /** Makes the output reproducible: all entry times and the timestamp annotation become this instant. */
        public Builder fixedTimestamp(Instant timestamp) {
            this.fixedTimestamp = timestamp;
            return this;
        }

        /** Where build containers live (required), e.g. a directory in the store. */
        public Builder containersDir(Path directory) {
            this.containersDir = directory;
            return this;
        }

        /**
         * Default {@link BuildContainer.Mode#AUTO}: an overlay where the kernel supports it, else a copy. A copy
         * costs time and space proportional to the parent, and layered output then compares whole trees.
         */
        public Builder containerMode(BuildContainer.Mode mode) {
            this.containerMode = mode;
            return this;
        }

        /** Default: the host's {@code /etc/resolv.conf} when it has one; {@code null} binds none. */
        public Builder resolvConf(Path hostFile) {
            this.resolvConf = hostFile;
            return this;
        }

        /** Default true: package installs need the network. */
        public Builder hostNetwork(boolean shared) {
            this.hostNetwork = shared;
            return this;
        }

        public Builder log(EngineLog engineLog) {
            this.log = engineLog;
            return this;
        }

        /** Default: the output is dropped (its last lines still reach a {@link BuildFailedException}). */
        public Builder commandOutput(OutputSink sink) {
            this.commandOutput = sink;
            return this;
        }

        public Builder progress(ProgressListener listener) {
            this.progress = listener;
            return this;
        }

        /**
         * The new image's manifest, used instead of the work directory's {@code manifest.json}; default none
         * (the build directory or the command provides the file).
         */
        public Builder givenManifest(ImageManifest manifest) {
            this.givenManifest = manifest;
            return this;
        }

        /** Name and labels filled into the manifest where it has none; default {@link ManifestDefaults#NONE}. */
        public Builder manifestDefaults(ManifestDefaults defaults) {
            this.manifestDefaults = Objects.requireNonNull(defaults, "defaults");
            return this;
        }

        /** Run as these stages over the stage cache; default: the command at once. */
        public Builder stages(StagePlan plan) {
            this.stages = plan;
            return this;
        }

        /** Null lays out no tree beside the ACI. */
        public Builder storeTree(Path directory) {
            this.storeTree = directory;
            return this;
        }

        public BuildRequest build() {
            if (runtime == null) {
                throw new BuildException("The build has no container runtime: pick one (runc, crun, bwrap,"
                        + " chroot) or let Runtimes.select choose.");
            }
            if (containersDir == null) {
                throw new BuildException("The build has no containers directory: give the work area where"
                        + " build containers are made (for example a directory in the image store).");
            }
            return new BuildRequest(parentRootfs, parentManifest, parentId, Optional.ofNullable(buildDirectory),
                    extraFiles, command, environment, runtime, outputForm, compression, level,
                    Optional.ofNullable(fixedTimestamp), output, containersDir, containerMode,
                    Optional.ofNullable(resolvConf),
                    hostNetwork, log, commandOutput, progress, Optional.ofNullable(givenManifest), manifestDefaults,
                    Optional.ofNullable(blockCache),
                    Optional.ofNullable(stages), Optional.ofNullable(storeTree));
        }
    }
}
