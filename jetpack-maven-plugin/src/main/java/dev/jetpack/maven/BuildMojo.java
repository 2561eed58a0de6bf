package dev.jetpack.maven;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.build.BuildFingerprint;
import dev.jetpack.engine.build.BuildScript;
import dev.jetpack.engine.build.ManifestDefaults;
import dev.jetpack.engine.build.OutputForm;
import dev.jetpack.engine.io.AtomicFiles;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.ManifestCodec;
import dev.jetpack.engine.store.StoredImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProjectHelper;

/**
 * Builds the image: a derivative of {@code parentImage} by running the build command in a container on top of
 * it, or a base image from {@code rootfs} (makeaci). Writes {@code target/<finalName>.aci} and
 * {@code target/<finalName>.aci.id} (ACI_FILE, ACI_ID_FILE) and makes the ACI the project's artifact
 * (packaging {@code aci}) or attaches it with {@code classifier} (other packagings).
 */
@Mojo(name = "build", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class BuildMojo extends AbstractImageMojo {
    /**
     * The build directory (BUILD_DIR), copied into the container's work dir. When {@code jetpack:prepare} ran
     * earlier in the same build, its staged copy ({@code target/jetpack/build}) is used instead.
     */
    @Parameter(property = "jetpack.buildDirectory", defaultValue = "${project.basedir}/src/main/image")
    private File buildDirectory;

    /** Further files copied into the work dir (BUILD_CP), relative to the project's basedir. */
    @Parameter
    private List<File> copyFiles;

    /** Whether the generated build script is copied into the work dir (BUILD_CP_JETPACK_IMAGE_MK). */
    @Parameter(defaultValue = "true")
    private boolean copyBuildScript;

    /**
     * Names of variables passed into the build when they are defined (BUILD_VARS): looked up in user properties,
     * project properties, then Maven's environment; undefined ones are left out. They reach the build command as
     * environment variables (as make's command-line variables reached the recipes), never the manifest or the
     * log (only their names are logged).
     */
    @Parameter
    private List<String> buildVars;

    /**
     * Extra arguments of the build command (BUILD_ARGS). The generated build script exports arguments of the
     * form {@code NAME=value} as environment variables of its steps and passes the others to each step as
     * positional parameters ({@code $1}, {@code $2}, ...). They are logged: put secrets in {@code buildVars}.
     */
    @Parameter
    private List<String> buildArgs;

    /**
     * The build command and its arguments (BUILD_COMMAND), run in the work dir as root. Unset: the generated
     * build script, which installs {@code packages}, runs {@code buildSteps} and checks for manifest.json.
     */
    @Parameter
    private List<String> buildCommand;

    /** Packages the generated build script installs with the image's package manager (PKG_INSTALL). */
    @Parameter
    private List<String> packages;

    /** Shell commands the generated build script runs in the container, in order (the {@code build} targets). */
    @Parameter
    private List<String> buildSteps;

    /** {@code flat} (the whole tree, the default) or {@code layered} (only the changes, parent as dependency). */
    @Parameter(property = "jetpack.format", defaultValue = "flat")
    private String format;

    /** The ACI's compression: {@code xz} (default), {@code gzip}, {@code bzip2} or {@code none}. */
    @Parameter(property = "jetpack.compression", defaultValue = "xz")
    private String compression;

    /**
     * The root file system of a base image (makeaci), which has no {@code parentImage}: a rootfs tarball (plain,
     * gzip, bzip2, xz) or directory, relative to the project directory; {@code host:} for the host's own
     * binaries and the libraries they load (a base image that needs no download), {@code host:sh,ls,...} for
     * chosen commands, or {@code busybox:} for the host's static busybox.
     */
    @Parameter(property = "jetpack.rootfs")
    private String rootfs;

    /**
     * The image manifest as JSON, e.g. in a CDATA section. Unset: {@code manifest.json} of the work dir after the
     * build (static in the build directory, or written by the build). Either way the name defaults to
     * groupId/artifactId made into an AC Identifier and the {@code version} label to the project version.
     */
    @Parameter
    private String manifest;

    /** What runs the build command: {@code auto} (default), {@code runc}, {@code crun}, {@code bwrap}, {@code chroot}. */
    @Parameter(property = "jetpack.runtime", defaultValue = "auto")
    private String runtime;

    /** Classifier of the attached ACI when the packaging is not {@code aci}. */
    @Parameter(property = "jetpack.classifier", defaultValue = "image")
    private String classifier;

    /** Maven's property for reproducible output: ISO-8601, epoch seconds, or one character for "off". */
    @Parameter(defaultValue = "${project.build.outputTimestamp}")
    private String outputTimestamp;

    @Component
    private MavenProjectHelper projectHelper;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    private PluginDescriptor plugin;

    @Override
    protected String goal() {
        return "build";
    }

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException, ConfigurationException {
        ImageBuildSettings settings = settings();
        getLog().debug(settings.toString());
        Jetpack jetpack = jetpack(Choices.display(settings.runtime()), settings.compression());
        Optional<StoredImage> parent = settings.parentImage().isPresent()
                ? Optional.of(fetch(jetpack, settings.parentImage().get(), "parentImage")) : Optional.empty();
        Optional<ImageManifest> givenManifest = givenManifest(settings);
        Optional<BuildScript> script = buildScript(settings, givenManifest.isPresent());

        BuildFingerprint inputs = fingerprint(settings, parent, givenManifest, script);
        Path fingerprintFile = fingerprintFile(settings.aciFile());
        if (upToDate(inputs, fingerprintFile, settings)) {
            attach(settings);
            return;
        }
        try {
            // Gone before the build starts: an interrupted build must never leave a record that matches.
            Files.deleteIfExists(fingerprintFile);
            Files.createDirectories(settings.aciFile().getParent());
            ImageId id = parent.isPresent()
                    ? buildDerivative(jetpack, settings, parent.get(), givenManifest, script)
                    : buildBase(jetpack, settings, givenManifest);
            AtomicFiles.write(settings.idFile(), (id.value() + "\n").getBytes(StandardCharsets.UTF_8));
            withOutputs(BuildFingerprint.builder().include(inputs), settings).build().write(fingerprintFile);
        } catch (JetpackException e) {
            throw failure("Cannot build the image " + settings.aciFile(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot write the image's files next to " + settings.aciFile() + ": "
                    + e + "; check free space and permissions of " + settings.aciFile().getParent(), e);
        }
        attach(settings);
    }

    private void attach(ImageBuildSettings settings) {
        String how = ImageAttachment.attach(project, projectHelper, settings.aciFile().toFile(), classifier);
        getLog().info("Image " + settings.aciFile() + " " + how);
    }

    /** A derivative: the command runs in a container over the parent; the engine writes the ACI atomically. */
    private ImageId buildDerivative(Jetpack jetpack, ImageBuildSettings settings, StoredImage parent,
            Optional<ImageManifest> givenManifest, Optional<BuildScript> script) throws IOException {
        List<Path> extraFiles = new ArrayList<>(settings.copyFiles());
        if (script.isPresent()) {
            extraFiles.add(script.get().writeTo(settings.workDirectory().resolve("script")));
        }
        List<String> command = settings.usesBuildScript() ? BuildScript.command(settings.buildArgs())
                : concat(settings.buildCommand(), settings.buildArgs());
        Optional<Path> buildDirectory = Files.isDirectory(settings.buildDirectory())
                ? Optional.of(settings.buildDirectory()) : Optional.empty();
        if (buildDirectory.isEmpty()) {
            getLog().info("No build directory " + settings.buildDirectory() + ": the work dir starts with only the"
                    + " copied files");
        }
        getLog().info("Building " + settings.aciFile().getFileName() + " on " + parent.describe()
                + (settings.buildEnvironment().isEmpty() ? ""
                        : " with the variables " + settings.buildEnvironment().keySet()));
        Jetpack.BuiltImage built = jetpack.build(parent.id().value(), Optional.of(settings.aciFile()), request -> {
            buildDirectory.ifPresent(request::buildDirectory);
            request.extraFiles(extraFiles)
                    .command(command)
                    .environment(settings.buildEnvironment())
                    .outputForm(settings.format())
                    .manifestDefaults(defaults(settings))
                    .commandOutput((stream, line) -> getLog().info("[build] " + line));
            givenManifest.ifPresent(request::givenManifest);
            settings.outputTimestamp().ifPresent(request::fixedTimestamp);
        });
        return built.build().imageId();
    }

    /** A base image (makeaci): the rootfs as it is, with the manifest completed from the project. */
    private ImageId buildBase(Jetpack jetpack, ImageBuildSettings settings, Optional<ImageManifest> givenManifest) {
        ImageManifest manifest = givenManifest.orElseGet(() -> new ImageManifest(null, null, null, null, null, null,
                null, null));
        return jetpack.makeBaseImage(settings.rootfs().orElseThrow(), basedir(), manifest, defaults(settings),
                settings.aciFile(), settings.outputTimestamp()).id();
    }

    private static ManifestDefaults defaults(ImageBuildSettings settings) {
        return new ManifestDefaults(Optional.of(settings.imageName()), settings.defaultLabels());
    }

    /**
     * The manifest when it does not come from the work dir after the build: the POM's {@code <manifest>} always
     * wins (a manifest.json in the build directory is then ignored, with a warning); for a base image, which has
     * no build, the build directory's manifest.json; empty otherwise.
     */
    private Optional<ImageManifest> givenManifest(ImageBuildSettings settings) throws MojoFailureException {
        Path fromDirectory = settings.buildDirectory().resolve("manifest.json");
        try {
            if (settings.manifestJson().isPresent()) {
                if (Files.isRegularFile(fromDirectory)) {
                    getLog().warn("Ignoring " + fromDirectory + ": the <manifest> of the POM is the image's"
                            + " manifest; remove one of the two");
                }
                return Optional.of(ManifestCodec.read(settings.manifestJson().get().getBytes(StandardCharsets.UTF_8),
                        "given as <manifest> in the POM"));
            }
            if (settings.isBaseImage() && Files.isRegularFile(fromDirectory)) {
                return Optional.of(ManifestCodec.read(Files.readAllBytes(fromDirectory), fromDirectory.toString()));
            }
            return Optional.empty();
        } catch (JetpackException e) {
            throw failure("Invalid image manifest", e);
        } catch (IOException e) {
            throw new MojoFailureException("Cannot read " + fromDirectory + ": " + e + "; check its permissions", e);
        }
    }

    /** The generated build script, when it is copied into the work dir (BUILD_CP_JETPACK_IMAGE_MK). */
    private Optional<BuildScript> buildScript(ImageBuildSettings settings, boolean manifestGiven)
            throws ConfigurationException {
        if (settings.isBaseImage() || !settings.copyBuildScript()) {
            return Optional.empty();
        }
        try {
            return Optional.of(BuildScript.of(settings.packages(), settings.buildSteps())
                    .requireManifest(!manifestGiven));
        } catch (JetpackException e) {
            throw new ConfigurationException("Invalid 'packages' or 'buildSteps': " + e.getMessage(), e);
        }
    }

    // ---- no-op rebuilds ----

    /**
     * Everything that decides the image: the plugin version, the configuration, the manifest, the generated
     * script, the parent's image ID, the rootfs of a base image, the build directory and each copied file.
     * Values of build variables are hashed like the rest and never written in clear.
     */
    private BuildFingerprint fingerprint(ImageBuildSettings settings, Optional<StoredImage> parent,
            Optional<ImageManifest> manifest, Optional<BuildScript> script) throws MojoExecutionException {
        long start = System.nanoTime();
        BuildFingerprint.Builder builder = BuildFingerprint.builder()
                .value("plugin version", plugin == null ? null : plugin.getVersion())
                .values("configuration", List.of(settings.imageName(), String.valueOf(settings.defaultLabels()),
                        String.valueOf(settings.buildCommand()), String.valueOf(settings.buildArgs()),
                        String.valueOf(settings.copyBuildScript()), Choices.display(settings.format()),
                        Choices.display(settings.compression()), String.valueOf(settings.outputTimestamp()),
                        String.valueOf(settings.rootfs()), String.valueOf(settings.copyFiles())))
                .values("build variables", new java.util.TreeMap<>(settings.buildEnvironment()).entrySet().stream()
                        .map(String::valueOf).toList())
                .value("manifest", manifest.map(m -> new String(ManifestCodec.write(m, false),
                        StandardCharsets.UTF_8)).orElse(null))
                .value("build script", script.map(BuildScript::render).orElse(null))
                .value("parent image", parent.map(p -> p.id().value()).orElse(null));
        try {
            if (settings.rootfs().isPresent()) {
                String rootfsSpec = settings.rootfs().get();
                if (!rootfsSpec.contains(":")) {
                    builder.tree("rootfs", basedir().resolve(rootfsSpec));
                }
            }
            builder.tree("build directory", settings.buildDirectory());
            for (Path file : settings.copyFiles()) {
                builder.tree("copied file " + file, file);
            }
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot read the build inputs to see whether they changed: " + e, e);
        }
        BuildFingerprint fingerprint = builder.build();
        getLog().debug("Build fingerprint computed in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        return fingerprint;
    }

    private static BuildFingerprint.Builder withOutputs(BuildFingerprint.Builder builder, ImageBuildSettings settings)
            throws IOException {
        return builder.tree("output ACI", settings.aciFile()).tree("output ID file", settings.idFile());
    }

    /** True, and says so, when the last build's record matches the inputs and its ACI and ID file are untouched. */
    private boolean upToDate(BuildFingerprint inputs, Path fingerprintFile, ImageBuildSettings settings)
            throws MojoExecutionException {
        Optional<BuildFingerprint> previous = BuildFingerprint.read(fingerprintFile);
        if (previous.isEmpty()) {
            getLog().debug("No record of a previous build in " + fingerprintFile + ": building");
            return false;
        }
        if (!Files.isRegularFile(settings.aciFile()) || !Files.isRegularFile(settings.idFile())) {
            getLog().info("Rebuilding: " + settings.aciFile().getFileName() + " or its ID file is missing");
            return false;
        }
        BuildFingerprint current;
        try {
            current = withOutputs(BuildFingerprint.builder().include(inputs), settings).build();
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot read " + settings.aciFile() + ": " + e, e);
        }
        List<String> changed = current.differencesFrom(previous.get());
        if (!changed.isEmpty()) {
            getLog().info("Rebuilding " + settings.aciFile().getFileName() + ": changed since the last build: "
                    + String.join(", ", changed));
            return false;
        }
        getLog().info("Image " + settings.aciFile() + " is up to date: its build directory, copied files, parent"
                + " image, manifest and configuration are unchanged since it was built; reusing it (delete "
                + fingerprintFile.getFileName() + " or run mvn clean to force a build)");
        return true;
    }

    /** Where the fingerprint of the build that wrote {@code aci} is kept. */
    static Path fingerprintFile(Path aci) {
        return aci.resolveSibling(aci.getFileName() + ".fingerprint");
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** The configuration, validated and translated into the engine-facing request. */
    ImageBuildSettings settings() throws ConfigurationException, MojoFailureException {
        OutputForm imageFormat = Choices.parse(OutputForm.class, format, OutputForm.FLAT, "format",
                "jetpack.format");
        Compression imageCompression = Choices.parse(Compression.class, compression, Compression.XZ,
                "compression", "jetpack.compression");
        RuntimeChoice buildRuntime = Choices.parse(RuntimeChoice.class, runtime, RuntimeChoice.AUTO, "runtime",
                "jetpack.runtime");

        ImageSource parent = parentSource();
        Optional<String> rootfsSpec = Optional.ofNullable(rootfs).map(String::trim).filter(r -> !r.isEmpty());
        if (parent != null && rootfsSpec.isPresent()) {
            throw new ConfigurationException("Both 'parentImage' (" + parentImage + ") and 'rootfs' (" + rootfs
                    + ") are set: a derivative image has a parentImage, a base image a rootfs; remove one");
        }
        if (parent == null && rootfsSpec.isEmpty()) {
            throw new ConfigurationException("Neither 'parentImage' nor 'rootfs' is set: give the parent image"
                    + " of a derivative (-Djetpack.parentImage=...) or the rootfs of a base image"
                    + " (-Djetpack.rootfs=...: a tarball, a directory, or host: for the host's own binaries)");
        }
        if (rootfsSpec.isPresent() && !rootfsSpec.get().contains(":")
                && !Files.exists(basedir().resolve(rootfsSpec.get()))) {
            throw new ConfigurationException("Parameter 'rootfs' names " + basedir().resolve(rootfsSpec.get())
                    + ", which does not exist; give a rootfs tarball or directory, host: for the host's own"
                    + " binaries, or busybox: for the host's busybox");
        }
        if (rootfsSpec.isPresent() && (!nonNull(buildSteps).isEmpty() || !nonNull(packages).isEmpty()
                || !nonNull(buildCommand).isEmpty())) {
            throw new ConfigurationException("A base image (rootfs) is made from the rootfs as it is: buildSteps,"
                    + " packages and buildCommand need a parentImage to run in. Build a second image with this one"
                    + " as its parentImage for them");
        }
        if (parent != null && parent.kind() == ImageSource.Kind.PATH && !Files.isRegularFile(parent.file().get())) {
            throw new ConfigurationException("Parameter 'parentImage' names the file " + parent.file().get()
                    + ", which does not exist; build or download it first, or give a name, URL or coordinates");
        }

        List<String> command = nonNull(buildCommand);
        if (command.isEmpty() && !copyBuildScript && parent != null) {
            throw new ConfigurationException("copyBuildScript is false but no buildCommand is set: the default"
                    + " build command runs the generated build script; set copyBuildScript to true or give a"
                    + " buildCommand");
        }

        List<Path> extraFiles = new ArrayList<>();
        for (File file : copyFiles == null ? List.<File>of() : copyFiles) {
            Path path = resolve(file);
            if (!Files.exists(path)) {
                throw new ConfigurationException("Entry " + file + " of parameter 'copyFiles' does not exist ("
                        + path + "); list files relative to the project directory");
            }
            extraFiles.add(path);
        }

        // BUILD_VARS reach the command as environment variables, exactly like make's command-line variables
        // reached the recipes; unlike arguments they never show in the logged command line.
        Map<String, String> environment = new LinkedHashMap<>(proxies().buildEnvironment());
        environment.putAll(BuildVars.resolve(buildVars, session.getUserProperties(), project.getProperties(),
                System.getenv()));

        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("version", ImageNames.versionLabel(project.getVersion()));

        ProxySettings proxySettings = proxies();
        Path aci = Path.of(project.getBuild().getDirectory()).toAbsolutePath()
                .resolve(project.getBuild().getFinalName() + ".aci");
        return new ImageBuildSettings(
                ImageNames.fromCoordinates(project.getGroupId(), project.getArtifactId()),
                labels,
                manifestJson(),
                Optional.ofNullable(parent),
                rootfsSpec,
                effectiveBuildDirectory(),
                extraFiles,
                copyBuildScript,
                command,
                nonNull(buildArgs),
                nonNull(packages),
                nonNull(buildSteps),
                environment,
                imageFormat,
                imageCompression,
                buildRuntime,
                storePath(),
                offline(),
                proxySettings,
                OutputTimestamps.parse(outputTimestamp),
                workDirectoryPath(),
                aci,
                aci.resolveSibling(aci.getFileName() + ".id"));
    }

    /** The staged copy when {@code jetpack:prepare} ran for this project in this build, else the configured one. */
    private Path effectiveBuildDirectory() {
        Object staged = project.getContextValue(STAGED_BUILD_DIRECTORY);
        return staged instanceof Path path ? path : resolve(buildDirectory);
    }

    private Optional<String> manifestJson() throws ConfigurationException {
        if (manifest == null || manifest.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode node = new ObjectMapper().readTree(manifest);
            if (node == null || !node.isObject()) {
                throw new ConfigurationException("Parameter 'manifest' is not a JSON object; write the image"
                        + " manifest as {\"acKind\": \"ImageManifest\", ...}, e.g. in a CDATA section");
            }
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new ConfigurationException("Parameter 'manifest' is not valid JSON: " + e.getOriginalMessage()
                    + where + "; write a JSON object, wrapped in <![CDATA[ ... ]]> in the POM", e);
        }
        return Optional.of(manifest.trim());
    }

    private static List<String> nonNull(List<String> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}
