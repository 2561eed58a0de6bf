package dev.jetpack.maven;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Everything the engine needs to build one image, validated and with every Maven notion already translated:
 * no Maven type in here, so wiring the build mojo to the engine is a matter of handing these values over.
 *
 * @param imageName       the default image name (an AC Identifier from groupId/artifactId); the manifest's own
 *                        {@code name} wins
 * @param defaultLabels   labels the manifest gets unless it sets them ({@code version} from the project)
 * @param manifestJson    the POM's {@code <manifest>} (a JSON object), when given; otherwise the manifest is
 *                        {@code manifest.json} of the work dir after the build command ran
 * @param parentImage     the parent (PARENT_IMAGE), absent for a base image
 * @param rootfs          a rootfs tarball or directory for a base image (makeaci), absent for a derivative
 * @param buildDirectory  the directory copied into the container's work dir (BUILD_DIR): the staged copy made
 *                        by {@code jetpack:prepare} when it ran in this build, else the configured directory
 * @param copyFiles       further files copied into the work dir (BUILD_CP), absolute
 * @param copyBuildScript whether the generated build script is copied into the work dir
 *                        (BUILD_CP_JETPACK_IMAGE_MK)
 * @param buildCommand    the command run in the work dir (BUILD_COMMAND); empty means the generated build
 *                        script ({@code dev.jetpack.engine.build.BuildScript}) run by {@code /bin/sh}
 * @param buildArgs       arguments appended to the command (BUILD_ARGS), the defined BUILD_VARS
 *                        ({@code NAME=value}) last; may hold secrets such as proxy credentials
 * @param packages        packages the generated script installs (PKG_INSTALL)
 * @param buildSteps      shell commands the generated script runs in order (the {@code build} targets)
 * @param buildEnvironment environment of the build command: the settings.xml proxies as {@code http_proxy},
 *                        {@code https_proxy}, {@code no_proxy}; may hold secrets
 * @param format          flat or layered
 * @param compression     the ACI's compression
 * @param runtime         the container runtime
 * @param store           the image store, absent for the engine's default
 * @param offline         Maven's {@code -o}: only the store may be used for the parent
 * @param proxies         the proxies for fetching, when the parent has to be fetched
 * @param outputTimestamp every time in the image, when {@code project.build.outputTimestamp} asks for
 *                        reproducible output
 * @param workDirectory   the plugin's scratch space ({@code target/jetpack}), removed by {@code jetpack:clean}
 * @param aciFile         where the ACI is written (ACI_FILE: {@code target/<finalName>.aci})
 * @param idFile          where its image ID is written (ACI_ID_FILE: {@code <aciFile>.id})
 */
public record ImageBuildSettings(
        String imageName,
        Map<String, String> defaultLabels,
        Optional<String> manifestJson,
        Optional<ImageSource> parentImage,
        Optional<Path> rootfs,
        Path buildDirectory,
        List<Path> copyFiles,
        boolean copyBuildScript,
        List<String> buildCommand,
        List<String> buildArgs,
        List<String> packages,
        List<String> buildSteps,
        Map<String, String> buildEnvironment,
        ImageFormat format,
        Compression compression,
        RuntimeChoice runtime,
        Optional<Path> store,
        boolean offline,
        ProxySettings proxies,
        Optional<Instant> outputTimestamp,
        Path workDirectory,
        Path aciFile,
        Path idFile) {

    public ImageBuildSettings {
        Objects.requireNonNull(imageName, "imageName");
        defaultLabels = Map.copyOf(defaultLabels);
        copyFiles = List.copyOf(copyFiles);
        buildCommand = List.copyOf(buildCommand);
        buildArgs = List.copyOf(buildArgs);
        packages = List.copyOf(packages);
        buildSteps = List.copyOf(buildSteps);
        buildEnvironment = Map.copyOf(buildEnvironment);
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(proxies, "proxies");
    }

    /** True for a base image: made from {@link #rootfs()}, no parent. */
    public boolean isBaseImage() {
        return rootfs.isPresent();
    }

    /** True when the generated build script is the command. */
    public boolean usesBuildScript() {
        return buildCommand.isEmpty();
    }

    /**
     * Safe to log: values of {@code NAME=value} arguments and of the environment are left out, since
     * BUILD_VARS and proxies carry credentials.
     */
    @Override
    public String toString() {
        return "ImageBuildSettings[name=" + imageName + ", labels=" + defaultLabels
                + ", manifest=" + (manifestJson.isPresent() ? "from POM" : "manifest.json of the build")
                + ", parent=" + parentImage.map(Object::toString).orElse("none")
                + ", rootfs=" + rootfs.map(Path::toString).orElse("none")
                + ", buildDirectory=" + buildDirectory + ", copyFiles=" + copyFiles
                + ", copyBuildScript=" + copyBuildScript
                + ", buildCommand=" + (usesBuildScript() ? "generated build script" : buildCommand)
                + ", buildArgs=" + buildArgs.stream().map(ImageBuildSettings::maskAssignment).toList()
                + ", packages=" + packages + ", buildSteps=" + buildSteps.size()
                + ", buildEnvironment=" + buildEnvironment.keySet()
                + ", format=" + Choices.display(format) + ", compression=" + Choices.display(compression)
                + ", runtime=" + Choices.display(runtime) + ", store=" + store.map(Path::toString).orElse("default")
                + ", offline=" + offline + ", proxies=" + proxies
                + ", outputTimestamp=" + outputTimestamp.map(Instant::toString).orElse("off")
                + ", aciFile=" + aciFile + "]";
    }

    static String maskAssignment(String argument) {
        int eq = argument.indexOf('=');
        return eq > 0 && argument.substring(0, eq).matches("[A-Za-z_][A-Za-z0-9_]*")
                ? argument.substring(0, eq) + "=…" : argument;
    }

    /** For {@link #toString()} of lists of settings. */
    static String join(List<?> items) {
        return items.stream().map(Object::toString).collect(Collectors.joining(", "));
    }
}
