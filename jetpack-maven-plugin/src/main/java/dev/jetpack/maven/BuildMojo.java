package dev.jetpack.maven;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
     * Names of variables passed into the build as {@code NAME=value} arguments when they are defined (BUILD_VARS):
     * looked up in user properties, project properties, then the environment; undefined ones are left out.
     */
    @Parameter
    private List<String> buildVars;

    /**
     * Extra arguments of the build command (BUILD_ARGS). The generated build script exports arguments of the
     * form {@code NAME=value} as environment variables of its steps and passes the others to each step as
     * positional parameters ({@code $1}, {@code $2}, ...).
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

    /** A rootfs tarball or directory: makes a base image, which has no {@code parentImage}. */
    @Parameter(property = "jetpack.rootfs")
    private File rootfs;

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

    @Override
    protected String goal() {
        return "build";
    }

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException, ConfigurationException {
        ImageBuildSettings settings = settings();
        getLog().debug(settings.toString());
        buildImage(settings);
        String how = ImageAttachment.attach(project, projectHelper, settings.aciFile().toFile(), classifier);
        getLog().info("Image " + settings.aciFile() + " " + how);
    }

    private void buildImage(ImageBuildSettings settings) throws MojoExecutionException {
        // WIRE: build with the engine from `settings` (for the default command, write
        // dev.jetpack.engine.build.BuildScript.of(packages, buildSteps).render() into the work dir as
        // BuildScript.FILE_NAME and run [/bin/sh, <workdir>/BuildScript.FILE_NAME] + buildArgs), writing
        // settings.aciFile() and settings.idFile() atomically; log through MavenEngineLog. Remove this throw then.
        throw new MojoExecutionException("jetpack:build is not wired to the engine yet (would build "
                + settings.aciFile() + ")");
    }

    /** The configuration, validated and translated into the engine-facing request. */
    ImageBuildSettings settings() throws ConfigurationException, MojoFailureException {
        ImageFormat imageFormat = Choices.parse(ImageFormat.class, format, ImageFormat.FLAT, "format",
                "jetpack.format");
        Compression imageCompression = Choices.parse(Compression.class, compression, Compression.XZ,
                "compression", "jetpack.compression");
        RuntimeChoice buildRuntime = Choices.parse(RuntimeChoice.class, runtime, RuntimeChoice.AUTO, "runtime",
                "jetpack.runtime");

        ImageSource parent = parentSource();
        Optional<Path> rootfsPath = Optional.ofNullable(rootfs).map(this::resolve);
        if (parent != null && rootfsPath.isPresent()) {
            throw new ConfigurationException("Both 'parentImage' (" + parentImage + ") and 'rootfs' (" + rootfs
                    + ") are set: a derivative image has a parentImage, a base image a rootfs; remove one");
        }
        if (parent == null && rootfsPath.isEmpty()) {
            throw new ConfigurationException("Neither 'parentImage' nor 'rootfs' is set: give the parent image"
                    + " of a derivative (-Djetpack.parentImage=...) or the rootfs tarball or directory of a base"
                    + " image (-Djetpack.rootfs=...)");
        }
        if (rootfsPath.isPresent() && !Files.exists(rootfsPath.get())) {
            throw new ConfigurationException("Parameter 'rootfs' names " + rootfsPath.get() + ", which does not"
                    + " exist; give a rootfs tarball or directory");
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

        Map<String, String> vars = BuildVars.resolve(buildVars, session.getUserProperties(),
                project.getProperties(), System.getenv());
        List<String> arguments = new ArrayList<>(nonNull(buildArgs));
        arguments.addAll(BuildVars.asArguments(vars));

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
                rootfsPath,
                effectiveBuildDirectory(),
                extraFiles,
                copyBuildScript,
                command,
                arguments,
                nonNull(packages),
                nonNull(buildSteps),
                proxySettings.buildEnvironment(),
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
