package dev.jetpack.engine.build;

import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.base.RootfsSource;
import dev.jetpack.engine.build.stage.StageCacheOptions;
import dev.jetpack.engine.runtime.OutputSink;
import dev.jetpack.engine.runtime.RuntimeChoice;
import dev.jetpack.engine.store.StoredImage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One image to build, as a face (command line, Maven plugin) asks for it: either a derivative of a stored
 * parent image (the build command runs in a container over it) or a base image from a rootfs (makeaci). It
 * names what to build and from what, with every value already parsed by the face; {@link ImageBuildPlan}
 * turns it into the manifest, command and fingerprint, and {@link ImageBuildService} carries it out. Start with
 * {@link #derivative} or {@link #base}.
 *
 * @param parent            a derivative's parent, as stored (the face fetched or found it); empty for a base image
 * @param rootfs            a base image's rootfs; empty for a derivative
 * @param buildDirectory    copied into the work directory (a derivative); for a base image only its
 *                          {@code manifest.json} counts
 * @param buildDirectoryOptional true when a build directory that does not exist means "none" (a default
 *                          location), false when it is an error (a directory the user named)
 * @param trackedOutputs    parts of the build directory that a step of the face made and keeps track of (the
 *                          outputs of prepare steps with {@code <creates>}), by path relative to the build
 *                          directory, each with the identity of the run that made it: the fingerprint takes
 *                          that identity and the part's own metadata instead of walking everything below it,
 *                          as make takes a target's time (a debootstrapped rootfs is thousands of entries)
 * @param extraFiles        further files or directories copied into the work directory under their own names
 * @param buildScript       the generated build script, copied into the work directory; whether it insists on a
 *                          {@code manifest.json} is decided by the plan
 * @param command           the build command; empty: the build script runs ({@code /bin/sh jetpack.build.sh})
 * @param arguments         appended to the command (BUILD_ARGS)
 * @param environment       the command's environment only; may hold secrets, never logged or stored in clear
 * @param manifestJson      the manifest when it comes from the face (e.g. the POM), as JSON; it wins over any
 *                          {@code manifest.json}
 * @param manifestOrigin    where {@code manifestJson} comes from, for messages
 * @param manifestFile      a base image's manifest file that is the image's manifest byte for byte (makeaci):
 *                          validated as it is, never completed with defaults
 * @param manifestDefaults  name and labels the manifest gets where it has none
 * @param outputForm        flat or layered (derivatives)
 * @param fixedTimestamp    every time in the image, for reproducible output
 * @param output            the ACI file to write; empty: a derivative goes only into the store
 * @param idFile            where the image ID is written as one line; empty: nowhere
 * @param reuseUnchanged    no-op rebuilds: reuse the output when nothing that decides it changed
 *                          (see {@link IncrementalBuild}); needs {@code output} and {@code idFile}
 * @param fingerprintValues further values that decide the image, known only to the face (e.g. its version);
 *                          a change of one rebuilds
 * @param commandOutput     receives the build command's output line by line
 * @param compression       the ACI's compression; empty: the settings' default
 * @param compressionLevel  the compression's level, -1 for its default
 * @param runtime           what runs the build command; empty: the settings' default
 * @param stageCache        whether a derivative runs in stages over the stage cache (see
 *                          {@link dev.jetpack.engine.build.stage.StageCache}); default off here, on in the faces
 */
public record ImageBuildSpec(Optional<StoredImage> parent, Optional<RootfsSource> rootfs,
                             Optional<Path> buildDirectory, boolean buildDirectoryOptional,
                             Map<String, String> trackedOutputs, List<Path> extraFiles,
                             Optional<BuildScript> buildScript, List<String> command, List<String> arguments,
                             Map<String, String> environment, Optional<String> manifestJson, String manifestOrigin,
                             Optional<Path> manifestFile, ManifestDefaults manifestDefaults, OutputForm outputForm,
                             Optional<Instant> fixedTimestamp, Optional<Path> output, Optional<Path> idFile,
                             boolean reuseUnchanged, Map<String, String> fingerprintValues,
                             OutputSink commandOutput, Optional<Compression> compression, int compressionLevel,
                             Optional<RuntimeChoice> runtime, StageCacheOptions stageCache) {

    public ImageBuildSpec {
        Objects.requireNonNull(stageCache, "stageCache");
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(rootfs, "rootfs");
        Objects.requireNonNull(buildDirectory, "buildDirectory");
        trackedOutputs = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(trackedOutputs));
        extraFiles = List.copyOf(extraFiles);
        Objects.requireNonNull(buildScript, "buildScript");
        command = List.copyOf(command);
        arguments = List.copyOf(arguments);
        environment = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        Objects.requireNonNull(manifestJson, "manifestJson");
        Objects.requireNonNull(manifestOrigin, "manifestOrigin");
        Objects.requireNonNull(manifestFile, "manifestFile");
        Objects.requireNonNull(manifestDefaults, "manifestDefaults");
        Objects.requireNonNull(outputForm, "outputForm");
        Objects.requireNonNull(fixedTimestamp, "fixedTimestamp");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(idFile, "idFile");
        fingerprintValues = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fingerprintValues));
        Objects.requireNonNull(commandOutput, "commandOutput");
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(runtime, "runtime");
        if (parent.isPresent() == rootfs.isPresent()) {
            throw new BuildException("An image is built either on a parent image (a derivative) or from a rootfs"
                    + " (a base image), not " + (rootfs.isPresent() ? "both" : "neither") + ". Give one of them.");
        }
        if (rootfs.isPresent() && (!command.isEmpty() || buildScript.isPresent() || !arguments.isEmpty()
                || !extraFiles.isEmpty())) {
            throw new BuildException("The base image from " + rootfs.get().describe() + " is made from the rootfs as it is:"
                    + " a build command, script, arguments or copied files need a parent image to run in. Build a"
                    + " second image with this one as its parent for them.");
        }
        if (rootfs.isPresent() && output.isEmpty()) {
            throw new BuildException("The base image from " + rootfs.get().describe() + " has no output file: a base image"
                    + " is written as an ACI file. Give the output path.");
        }
        if (manifestFile.isPresent() && (parent.isPresent() || manifestJson.isPresent())) {
            throw new BuildException("The manifest file " + manifestFile.get() + " is taken as it is for a base"
                    + " image only, and instead of any other manifest. Give it for a base image, alone.");
        }
        if (parent.isPresent() && command.isEmpty() && buildScript.isEmpty()) {
            throw new BuildException("The build on " + parent.get().describe() + " has no command and no build script"
                    + " to run. Give a command, or the build script.");
        }
        if (reuseUnchanged && (output.isEmpty() || idFile.isEmpty())) {
            throw new BuildException("Reusing an unchanged build needs an output ACI file and an ID file, where"
                    + " the record of the last build is kept. Give both, or build without reuse.");
        }
    }

    /** True for a base image (made from {@link #rootfs()}). */
    public boolean isBaseImage() {
        return rootfs.isPresent();
    }

    /** Starts a derivative of the stored image {@code parent}. */
    public static Builder derivative(StoredImage parent) {
        Builder builder = new Builder();
        builder.parent = Objects.requireNonNull(parent, "parent");
        return builder;
    }

    /** Starts a base image from {@code rootfs}. */
    public static Builder base(RootfsSource rootfs) {
        Builder builder = new Builder();
        builder.rootfs = Objects.requireNonNull(rootfs, "rootfs");
        return builder;
    }

    /** Builds an {@link ImageBuildSpec}; every setting but the parent or rootfs is optional. */
    public static final class Builder {
        private StoredImage parent;
        private RootfsSource rootfs;
        private Path buildDirectory;
        private boolean buildDirectoryOptional;
        private final List<Path> extraFiles = new ArrayList<>();
        private BuildScript buildScript;
        private List<String> command = List.of();
        private List<String> arguments = List.of();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private String manifestJson;
        private String manifestOrigin = "the given manifest";
        private Path manifestFile;
        private ManifestDefaults manifestDefaults = ManifestDefaults.NONE;
        private OutputForm outputForm = OutputForm.FLAT;
        private Instant fixedTimestamp;
        private Path output;
        private Path idFile;
        private boolean reuseUnchanged;
        private final Map<String, String> fingerprintValues = new LinkedHashMap<>();
        private final Map<String, String> trackedOutputs = new LinkedHashMap<>();
        private OutputSink commandOutput = OutputSink.DISCARD;
        private Compression compression;
        private int compressionLevel = -1;
        private RuntimeChoice runtime;
        private StageCacheOptions stageCache = StageCacheOptions.disabled();

        private Builder() {
        }

        /** The build directory, which must exist. */
        public Builder buildDirectory(Path directory) {
            this.buildDirectory = directory;
            this.buildDirectoryOptional = false;
            return this;
        }

        /** The build directory at a default location: when it does not exist the work dir starts without it. */
        public Builder buildDirectoryIfPresent(Path directory) {
            this.buildDirectory = directory;
            this.buildDirectoryOptional = true;
            return this;
        }

        public Builder extraFiles(List<Path> files) {
            extraFiles.addAll(files);
            return this;
        }

        /** The generated script, copied into the work dir; it is the command unless {@link #command} is set. */
        public Builder buildScript(BuildScript script) {
            this.buildScript = script;
            return this;
        }

        public Builder command(List<String> commandAndArguments) {
            this.command = List.copyOf(commandAndArguments);
            return this;
        }

        /** Appended to the command, or given to the build script (BUILD_ARGS). */
        public Builder arguments(List<String> buildArguments) {
            this.arguments = List.copyOf(buildArguments);
            return this;
        }

        public Builder environment(Map<String, String> variables) {
            environment.putAll(variables);
            return this;
        }

        /**
         * The image's manifest as JSON, which wins over any {@code manifest.json}.
         *
         * @param origin where it comes from, for messages (e.g. "given as &lt;manifest&gt; in the POM")
         */
        public Builder manifest(String json, String origin) {
            this.manifestJson = Objects.requireNonNull(json, "json");
            this.manifestOrigin = Objects.requireNonNull(origin, "origin");
            return this;
        }

        /** A base image's manifest file, taken byte for byte as the image's manifest (makeaci). */
        public Builder manifestFile(Path file) {
            this.manifestFile = Objects.requireNonNull(file, "file");
            return this;
        }

        public Builder manifestDefaults(ManifestDefaults defaults) {
            this.manifestDefaults = Objects.requireNonNull(defaults, "defaults");
            return this;
        }

        public Builder outputForm(OutputForm form) {
            this.outputForm = Objects.requireNonNull(form, "form");
            return this;
        }

        public Builder fixedTimestamp(Optional<Instant> timestamp) {
            this.fixedTimestamp = timestamp.orElse(null);
            return this;
        }

        /** The ACI file, written atomically. */
        public Builder output(Path aci) {
            this.output = aci;
            return this;
        }

        /** The file that receives the image ID, written atomically. */
        public Builder idFile(Path file) {
            this.idFile = file;
            return this;
        }

        /** No-op rebuilds (see {@link IncrementalBuild}); needs {@link #output} and {@link #idFile}. */
        public Builder reuseUnchanged(boolean reuse) {
            this.reuseUnchanged = reuse;
            return this;
        }

        /**
         * A part of the build directory made by a step of the face that keeps track of it ({@code relativePath}
         * inside the build directory), and the identity of the run that made it (see {@link #trackedOutputs()}).
         */
        public Builder trackedOutput(String relativePath, String runIdentity) {
            trackedOutputs.put(Objects.requireNonNull(relativePath, "relativePath"),
                    Objects.requireNonNull(runIdentity, "runIdentity"));
            return this;
        }

        /** A value known only to the face that decides the image (e.g. the plugin's version); null is absent. */
        public Builder fingerprintValue(String name, String value) {
            fingerprintValues.put(Objects.requireNonNull(name, "name"), value);
            return this;
        }

        public Builder commandOutput(OutputSink sink) {
            this.commandOutput = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /** The ACI's compression at its default level; default: the settings' compression. */
        public Builder compression(Compression aciCompression) {
            return compression(aciCompression, -1);
        }

        /** The ACI's compression and level (-1 for the compression's default). */
        public Builder compression(Compression aciCompression, int level) {
            this.compression = Objects.requireNonNull(aciCompression, "aciCompression");
            this.compressionLevel = level;
            return this;
        }

        /** What runs the build command; default: the settings' runtime. */
        public Builder runtime(RuntimeChoice choice) {
            this.runtime = Objects.requireNonNull(choice, "choice");
            return this;
        }

        /** Stages over the stage cache, and the cache's size bound; default off. */
        public Builder stageCache(StageCacheOptions options) {
            this.stageCache = Objects.requireNonNull(options, "options");
            return this;
        }

        public ImageBuildSpec build() {
            return new ImageBuildSpec(Optional.ofNullable(parent), Optional.ofNullable(rootfs),
                    Optional.ofNullable(buildDirectory), buildDirectoryOptional, trackedOutputs, extraFiles,
                    Optional.ofNullable(buildScript), command, arguments, environment,
                    Optional.ofNullable(manifestJson), manifestOrigin, Optional.ofNullable(manifestFile),
                    manifestDefaults, outputForm, Optional.ofNullable(fixedTimestamp), Optional.ofNullable(output),
                    Optional.ofNullable(idFile), reuseUnchanged, fingerprintValues, commandOutput,
                    Optional.ofNullable(compression), compressionLevel, Optional.ofNullable(runtime),
                    stageCache);
        }
    }
}
