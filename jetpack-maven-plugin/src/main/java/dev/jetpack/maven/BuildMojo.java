package dev.jetpack.maven;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.base.RootfsSource;
import dev.jetpack.engine.build.BuildScript;
import dev.jetpack.engine.build.ImageBuildSpec;
import dev.jetpack.engine.build.stage.StageCacheOptions;
import dev.jetpack.engine.build.ManifestDefaults;
import dev.jetpack.engine.build.OutputForm;
import dev.jetpack.engine.runtime.RuntimeChoice;
import java.io.File;
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
public class BuildMojo extends AbstractParentImageMojo {
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

    /** The ACI's compression: {@code gzip} (default), {@code xz} (smaller, slower), {@code bzip2} or {@code none}. */
    @Parameter(property = "jetpack.compression", defaultValue = Compression.DEFAULT_NAME)
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

    /**
     * Whether the build runs in stages over the store's stage cache: the package install and each build step
     * are kept, and a later build reuses them up to the first one whose inputs changed (the parent image, the
     * packages, the step's text, buildArgs, buildVars without the proxies, the build directory and copyFiles by
     * content). Off: every step runs each time and nothing is kept.
     */
    @Parameter(property = "jetpack.stageCache", defaultValue = "true")
    private boolean stageCache;

    /**
     * The stage cache's size bound, after which the least recently used stages go: bytes, or a number with
     * K, M, G or T (powers of 1024).
     */
    @Parameter(property = "jetpack.stageCache.maxSize", defaultValue = "10G")
    private String stageCacheMaxSize;

    /** Maven's property for reproducible output: ISO-8601, epoch seconds, or one character for "off". */
    @Parameter(defaultValue = "${project.build.outputTimestamp}")
    private String outputTimestamp;

    @Component
    private MavenProjectHelper projectHelper;

    /** This plugin's own descriptor (set by Maven): its version is part of what makes a build up to date. */
    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    private PluginDescriptor plugin;

    @Override
    protected String goal() {
        return "build";
    }

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException, ConfigurationException {
        Jetpack jetpack = jetpack();
        Path aci = ImageAttachment.aciFile(project);
        ImageBuildSpec spec = spec(jetpack, aci);
        try {
            jetpack.buildImage(spec);
        } catch (JetpackException e) {
            throw failure("Cannot build the image " + aci, e);
        }
        String how = ImageAttachment.attach(project, projectHelper, aci.toFile(), classifier);
        getLog().info("Image " + aci + " " + how);
    }

    /**
     * The parameters as the engine's build request, checked on the way: a derivative of the fetched parent, or
     * a base image from the rootfs; no-op rebuilds on, with the plugin's version as one of the inputs. Secrets
     * (proxies, BUILD_VARS) go only into the request's environment, which is never logged.
     */
    private ImageBuildSpec spec(Jetpack jetpack, Path aci) throws ConfigurationException, MojoFailureException {
        Optional<ConfiguredImage> parent = parent();
        Optional<String> rootfsText = Optional.ofNullable(rootfs).map(String::trim).filter(r -> !r.isEmpty());
        if (parent.isPresent() && rootfsText.isPresent()) {
            throw new ConfigurationException("Both 'parentImage' (" + parentImage + ") and 'rootfs' (" + rootfs
                    + ") are set: a derivative image has a parentImage, a base image a rootfs; remove one");
        }
        if (parent.isEmpty() && rootfsText.isEmpty()) {
            throw new ConfigurationException("Neither 'parentImage' nor 'rootfs' is set: give the parent image"
                    + " of a derivative (-Djetpack.parentImage=...) or the rootfs of a base image"
                    + " (-Djetpack.rootfs=...: a tarball, a directory, or host: for the host's own binaries)");
        }
        ImageBuildSpec.Builder spec = parent.isPresent() ? derivative(jetpack, parent.get())
                : ImageBuildSpec.base(rootfs(rootfsText.get()));
        manifestJson().ifPresent(json -> spec.manifest(json, "given as <manifest> in the POM"));
        Map<String, String> environment = new LinkedHashMap<>(proxies().buildEnvironment());
        environment.putAll(BuildVars.resolve(buildVars, session.getUserProperties(), project.getProperties(),
                System.getenv()));
        trackedOutputs().forEach(spec::trackedOutput);
        return spec.buildDirectoryIfPresent(effectiveBuildDirectory())
                .environment(environment)
                .manifestDefaults(new ManifestDefaults(
                        Optional.of(ImageNames.fromCoordinates(project.getGroupId(), project.getArtifactId())),
                        Map.of("version", ImageNames.versionLabel(project.getVersion()))))
                .outputForm(Choices.parse(OutputForm.class, format, OutputForm.FLAT, "format", "jetpack.format"))
                .compression(Choices.parse(Compression.class, compression, Compression.DEFAULT, "compression",
                        "jetpack.compression"))
                .runtime(Choices.parse(RuntimeChoice.class, runtime, RuntimeChoice.AUTO, "runtime",
                        "jetpack.runtime"))
                .fixedTimestamp(OutputTimestamps.parse(outputTimestamp))
                .output(aci)
                .idFile(aci.resolveSibling(aci.getFileName() + ".id"))
                .reuseUnchanged(true)
                .stageCache(stageCacheOptions())
                .fingerprintValue("plugin version", plugin == null ? null : plugin.getVersion())
                .commandOutput((stream, line) -> getLog().info("[build] " + line))
                .build();
    }

    private StageCacheOptions stageCacheOptions() throws ConfigurationException {
        try {
            return StageCacheOptions.builder().enabled(stageCache)
                    .maxBytes(StageCacheOptions.parseSize(stageCacheMaxSize, "parameter 'stageCacheMaxSize'"))
                    .build();
        } catch (JetpackException e) {
            throw new ConfigurationException(e.getMessage() + " (-Djetpack.stageCache.maxSize=...)", e);
        }
    }

    /** A derivative: the parent fetched (looked up once), the command or the generated build script. */
    private ImageBuildSpec.Builder derivative(Jetpack jetpack, ConfiguredImage parent)
            throws ConfigurationException, MojoFailureException {
        List<String> command = nonNull(buildCommand);
        if (command.isEmpty() && !copyBuildScript) {
            throw new ConfigurationException("copyBuildScript is false but no buildCommand is set: the default"
                    + " build command runs the generated build script; set copyBuildScript to true or give a"
                    + " buildCommand");
        }
        ImageBuildSpec.Builder spec = ImageBuildSpec.derivative(fetch(jetpack, parent))
                .extraFiles(copyFiles())
                .command(command)
                .arguments(nonNull(buildArgs));
        if (copyBuildScript) {
            try {
                spec.buildScript(BuildScript.of(nonNull(packages), nonNull(buildSteps)));
            } catch (JetpackException e) {
                throw new ConfigurationException("Invalid 'packages' or 'buildSteps': " + e.getMessage(), e);
            }
        }
        return spec;
    }

    /** A base image's rootfs, parsed by the engine's one parser; a tarball or directory must exist. */
    private RootfsSource rootfs(String text) throws ConfigurationException {
        if (!nonNull(buildSteps).isEmpty() || !nonNull(packages).isEmpty() || !nonNull(buildCommand).isEmpty()) {
            throw new ConfigurationException("A base image (rootfs) is made from the rootfs as it is: buildSteps,"
                    + " packages and buildCommand need a parentImage to run in. Build a second image with this one"
                    + " as its parentImage for them");
        }
        RootfsSource source;
        try {
            source = RootfsSource.parse(text, basedir());
        } catch (JetpackException e) {
            throw new ConfigurationException("Invalid parameter 'rootfs': " + e.getMessage(), e);
        }
        if (source instanceof RootfsSource.Existing existing && !Files.exists(existing.path())) {
            throw new ConfigurationException("Parameter 'rootfs' names " + existing.path() + ", which does not"
                    + " exist; give a rootfs tarball or directory, host: for the host's own binaries, or busybox:"
                    + " for the host's busybox");
        }
        return source;
    }

    /** BUILD_CP: each entry relative to the project directory, and existing. */
    private List<Path> copyFiles() throws ConfigurationException {
        List<Path> files = new ArrayList<>();
        for (File file : copyFiles == null ? List.<File>of() : copyFiles) {
            Path path = resolve(file);
            if (!Files.exists(path)) {
                throw new ConfigurationException("Entry " + file + " of parameter 'copyFiles' does not exist ("
                        + path + "); list files relative to the project directory");
            }
            files.add(path);
        }
        return files;
    }

    /**
     * What {@code jetpack:prepare}'s steps made in the staged copy, by the run that made each (see
     * {@link #PREPARED_OUTPUTS}); empty when it did not run in this build or a step declares no outputs.
     */
    @SuppressWarnings("unchecked")
    private Map<String, String> trackedOutputs() {
        Object made = project.getContextValue(PREPARED_OUTPUTS);
        return made instanceof Map<?, ?> map && project.getContextValue(STAGED_BUILD_DIRECTORY) != null
                ? (Map<String, String>) map : Map.of();
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
