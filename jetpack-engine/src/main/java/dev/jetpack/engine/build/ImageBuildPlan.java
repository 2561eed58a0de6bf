package dev.jetpack.engine.build;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.base.RootfsSource;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.ManifestCodec;
import dev.jetpack.engine.manifest.ManifestValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The rules that turn an {@link ImageBuildSpec} into what the build runs: where the manifest comes from, the
 * build script and command, the build directory, and the fingerprint of all inputs for no-op rebuilds. Reading
 * the inputs happens here, once, so that the fingerprint describes exactly what the build uses.
 */
final class ImageBuildPlan {
    private final ImageBuildSpec spec;
    private final Compression compression;
    private final EngineLog log;
    private final Optional<byte[]> verbatimManifest;
    /** A base image's build-directory manifest.json as read, parsed only when the build needs it. */
    private final Optional<DirectoryManifest> directoryManifest;
    /** The given manifest; null until a base image's directory manifest is parsed ({@link #givenManifest()}). */
    private Optional<ImageManifest> givenManifest;
    private final Optional<BuildScript> script;

    /** The bytes of a build directory's manifest.json and where they came from. */
    private record DirectoryManifest(Path file, byte[] json) {
    }

    /**
     * Reads the given manifest (see {@link #givenManifest()}).
     *
     * @param compression the ACI's compression, which the fingerprint records
     * @throws dev.jetpack.engine.JetpackException when the given manifest is not a valid manifest
     * @throws BuildException                      when the build directory's manifest.json cannot be read
     */
    ImageBuildPlan(ImageBuildSpec spec, Compression compression, EngineLog log) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.compression = Objects.requireNonNull(compression, "compression");
        this.log = Objects.requireNonNull(log, "log");
        this.verbatimManifest = spec.manifestFile().map(ImageBuildPlan::readManifestFile);
        this.directoryManifest = readDirectoryManifest();
        this.givenManifest = directoryManifest.isPresent() ? null : readGivenManifest();
        boolean manifestGiven = directoryManifest.isPresent() || givenManifest.isPresent();
        this.script = spec.buildScript().map(s -> s.requireManifest(!manifestGiven));
    }

    /** The manifest file's bytes, which go into the ACI as they are (makeaci); validated by the plan. */
    Optional<byte[]> verbatimManifest() {
        return verbatimManifest;
    }

    private static byte[] readManifestFile(Path manifest) {
        try {
            return Files.readAllBytes(manifest);
        } catch (NoSuchFileException e) {
            throw new BuildException("The manifest " + manifest + " does not exist. Give the path of the image's"
                    + " manifest JSON file.", e);
        } catch (IOException e) {
            throw new BuildException("Cannot read the manifest " + manifest + ": " + e.getMessage(), e);
        }
    }

    /**
     * The manifest when it does not come from the work dir after the build: the face's manifest always wins (a
     * {@code manifest.json} in the build directory is then ignored, with a warning); for a base image, which
     * has no build, the build directory's {@code manifest.json}; empty otherwise (the build must leave a
     * {@code manifest.json} in the work dir).
     */
    Optional<ImageManifest> givenManifest() {
        if (givenManifest == null) {
            // Parsed here rather than up front: a no-op base-image build compares the bytes and never needs the
            // manifest itself, and the first JSON parse of a fresh JVM costs some 40 ms.
            DirectoryManifest file = directoryManifest.get();
            givenManifest = Optional.of(ManifestCodec.read(file.json(), file.file().toString()));
        }
        return givenManifest;
    }

    /**
     * A base image's manifest.json in its build directory, when nothing else gives the manifest: read now (so
     * that the fingerprint describes the bytes the build uses), parsed later.
     */
    private Optional<DirectoryManifest> readDirectoryManifest() {
        if (verbatimManifest.isPresent() || spec.manifestJson().isPresent() || !spec.isBaseImage()) {
            return Optional.empty();
        }
        Optional<Path> file = spec.buildDirectory().map(dir -> dir.resolve("manifest.json"))
                .filter(Files::isRegularFile);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new DirectoryManifest(file.get(), Files.readAllBytes(file.get())));
        } catch (IOException e) {
            throw new BuildException("Cannot read " + file.get() + ": " + e + "; check its permissions", e);
        }
    }

    private Optional<ImageManifest> readGivenManifest() {
        if (verbatimManifest.isPresent()) {
            // Taken as it is, so it must be valid as it is: nothing completes it.
            String origin = spec.manifestFile().get().toString();
            return Optional.of(ManifestValidator.requireValid(ManifestCodec.read(verbatimManifest.get(), origin),
                    origin));
        }
        Optional<Path> fromDirectory = spec.buildDirectory().map(dir -> dir.resolve("manifest.json"))
                .filter(Files::isRegularFile);
        if (spec.manifestJson().isPresent()) {
            fromDirectory.ifPresent(file -> log.warn("Ignoring " + file + ": the manifest "
                    + spec.manifestOrigin() + " is the image's manifest; remove one of the two"));
            return Optional.of(ManifestCodec.read(spec.manifestJson().get().getBytes(StandardCharsets.UTF_8),
                    spec.manifestOrigin()));
        }
        return Optional.empty();
    }

    /** The generated build script as it is copied into the work dir; it requires manifest.json unless given. */
    Optional<BuildScript> script() {
        return script;
    }

    /** The command that runs in the work dir: the given command, or the build script, with the arguments. */
    List<String> command() {
        if (spec.command().isEmpty()) {
            return BuildScript.command(spec.arguments());
        }
        List<String> all = new ArrayList<>(spec.command());
        all.addAll(spec.arguments());
        return List.copyOf(all);
    }

    /**
     * The build cut into stages for the stage cache: the generated script's package install and steps
     * ({@link BuildScript#stages()}), or the user's command as one stage. The first step copies the build
     * inputs, the package install never does (it must not be rebuilt when they change), and only steps get the
     * build arguments. Empty when there is nothing to cut (a script with no packages and no steps).
     */
    List<BuildStage> stages() {
        if (spec.command().isEmpty() && script.isPresent()) {
            List<BuildStage> stages = new ArrayList<>();
            boolean inputsCopied = false;
            for (BuildScript.Stage stage : script.get().stages()) {
                List<String> arguments = stage.step() ? spec.arguments() : List.of();
                stages.add(new BuildStage(stage.step() ? BuildStage.Kind.STEP : BuildStage.Kind.PACKAGES,
                        stage.description(), BuildScript.command(arguments),
                        Optional.of(stage.script()), arguments, stage.step() && !inputsCopied));
                inputsCopied |= stage.step();
            }
            return stages;
        }
        return List.of(new BuildStage(BuildStage.Kind.COMMAND, "command " + command(), command(), Optional.empty(),
                spec.arguments(), true));
    }

    /**
     * The directory copied into the work dir: a build directory that is optional and missing counts as none
     * (logged); one that is required is passed on, so that the build refuses it when it is missing.
     */
    Optional<Path> buildDirectory() {
        Optional<Path> directory = spec.buildDirectory();
        if (directory.isPresent() && spec.buildDirectoryOptional() && !Files.isDirectory(directory.get())) {
            log.info("No build directory " + directory.get() + ": the work dir starts with only the copied files");
            return Optional.empty();
        }
        return directory;
    }

    /**
     * Everything that decides the image: the face's own values, the configuration, the build variables, the
     * manifest, the generated script, the parent's image ID, the rootfs of a base image, the build directory
     * and each copied file. Values are hashed (build variables may hold secrets, see {@link BuildFingerprint});
     * file trees by metadata.
     *
     * @throws BuildException when an input cannot be read
     */
    BuildFingerprint fingerprint() {
        long start = System.nanoTime();
        // Plain loops and conditions rather than streams and Optional.map: each lambda costs its first caller a
        // generated class, and this runs once in the fresh JVM of every no-op build.
        BuildFingerprint.Builder builder = BuildFingerprint.builder();
        for (Map.Entry<String, String> value : spec.fingerprintValues().entrySet()) {
            builder.value(value.getKey(), value.getValue());
        }
        List<String> variables = new ArrayList<>();
        for (Map.Entry<String, String> variable : new TreeMap<>(spec.environment()).entrySet()) {
            variables.add(variable.toString());
        }
        builder.values("configuration", List.of(String.valueOf(spec.manifestDefaults()),
                        String.valueOf(spec.command()), String.valueOf(spec.arguments()),
                        String.valueOf(spec.buildScript().isPresent()), lower(spec.outputForm()), lower(compression),
                        String.valueOf(spec.fixedTimestamp()),
                        String.valueOf(spec.rootfs().map(RootfsSource::describe)),
                        String.valueOf(spec.extraFiles())))
                .values("build variables", variables)
                .value("manifest", manifestText())
                .value("build script", script.isPresent() ? script.get().render() : null)
                .value("parent image", spec.parent().isPresent() ? spec.parent().get().id().value() : null);
        try {
            // Only a tarball or directory has content to compare; the host forms are decided by their text.
            if (spec.rootfs().orElse(null) instanceof RootfsSource.Existing existing
                    && !insideBuildDirectory(existing.path())) {
                builder.tree("rootfs", existing.path());
            }
            if (spec.buildDirectory().isPresent()) {
                Path directory = spec.buildDirectory().get();
                builder.tree("build directory", directory, spec.trackedOutputs().keySet());
                for (Map.Entry<String, String> output : spec.trackedOutputs().entrySet()) {
                    builder.value("made " + output.getKey(), output.getValue())
                            .entry("top of " + output.getKey(), directory.resolve(output.getKey()));
                }
            }
            for (Path file : spec.extraFiles()) {
                builder.tree("copied file " + file, file);
            }
        } catch (IOException e) {
            throw new BuildException("Cannot read the build inputs to see whether they changed: " + e
                    + ". Check the permissions of the build directory and the copied files.", e);
        }
        BuildFingerprint fingerprint = builder.build();
        log.debug("Build fingerprint computed in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        return fingerprint;
    }

    /**
     * The manifest the build starts from, as text: a file's own bytes (a verbatim manifest, a base image's
     * manifest.json), or the given one written; else null.
     */
    private String manifestText() {
        if (verbatimManifest.isPresent()) {
            return new String(verbatimManifest.get(), StandardCharsets.UTF_8);
        }
        if (directoryManifest.isPresent()) {
            return new String(directoryManifest.get().json(), StandardCharsets.UTF_8);
        }
        return givenManifest.isPresent() ? new String(ManifestCodec.write(givenManifest.get(), false),
                StandardCharsets.UTF_8) : null;
    }

    /**
     * A rootfs that really lies inside the build directory (a prepare step's output, as in images/debian) is
     * covered by the build directory's component: walking its thousands of entries twice doubled the cost of
     * a no-op. Real paths, so that a rootfs reached through a link out of the build directory is still walked.
     */
    private boolean insideBuildDirectory(Path rootfs) throws IOException {
        Optional<Path> buildDirectory = spec.buildDirectory();
        if (buildDirectory.isEmpty() || !Files.exists(rootfs) || !Files.isDirectory(buildDirectory.get())) {
            return false;
        }
        return rootfs.toRealPath().startsWith(buildDirectory.get().toRealPath());
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
