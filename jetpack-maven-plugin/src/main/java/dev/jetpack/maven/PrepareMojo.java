package dev.jetpack.maven;

import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.io.FileTrees;
import dev.jetpack.engine.io.HostCommand;
import dev.jetpack.engine.io.TreeCopier;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Assembles what goes into the build, the counterpart of the make macros' {@code prepare} target: the build
 * directory is staged into {@code target/jetpack/build} (the source tree is never modified), the project's
 * artifact and its runtime dependencies are copied into {@code lib/} of the staged copy, then the
 * {@code prepareSteps} run on the host in it. {@code jetpack:build} later in the same build uses the staged
 * copy as its build directory.
 *
 * <p>With packaging {@code aci} this runs in {@code prepare-package}. In a jar (or war...) project, bind it to
 * {@code package} after the archive is made, so that the project's own artifact is there to copy.
 */
@Mojo(name = "prepare", defaultPhase = LifecyclePhase.PREPARE_PACKAGE,
        requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
public class PrepareMojo extends AbstractJetpackMojo {
    /** The build directory (BUILD_DIR), copied into the container's work dir. */
    @Parameter(property = "jetpack.buildDirectory", defaultValue = "${project.basedir}/src/main/image")
    private File buildDirectory;

    /**
     * Folder of the staged build directory that receives the project's artifact and its runtime dependencies
     * (compile and runtime scope), relative to the build directory.
     */
    @Parameter(defaultValue = "lib")
    private String libraryDirectory;

    /** Whether to copy the project's artifact and runtime dependencies at all. */
    @Parameter(defaultValue = "true")
    private boolean copyDependencies;

    /**
     * Shell commands run on the host ({@code /bin/sh -c}) in the staged build directory, in order, after the
     * copies: the make macros' {@code prepare} and {@code prepare.*} targets (e.g. a debootstrap for a base
     * image). The settings.xml proxies are in their environment as {@code http_proxy} etc. Each is either
     * {@code <prepareStep>COMMAND</prepareStep>} (runs every time) or
     * {@code <prepareStep><command>COMMAND</command><creates>PATH</creates></prepareStep>}: skipped, and
     * never reaching the network, while what it creates exists from its last successful run (see
     * {@link PrepareStep}).
     */
    @Parameter
    private List<PrepareStep> prepareSteps;

    @Override
    protected String goal() {
        return "prepare";
    }

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException, ConfigurationException {
        Path source = resolve(buildDirectory);
        Path staging = stagingDirectory();
        List<PrepareStep> steps = prepareSteps == null ? List.of() : prepareSteps;
        List<List<Path>> outputs = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            outputs.add(steps.get(i).outputs(i + 1));
        }
        PreparedOutputs prepared = new PreparedOutputs(workDirectoryPath());
        try {
            for (int i = 0; i < steps.size(); i++) {
                prepared.keep(i + 1, outputs.get(i), staging);
            }
            // Staged afresh every time: a file removed from the build directory must not linger in the image.
            FileTrees.deleteRecursively(staging);
            if (Files.isDirectory(source)) {
                Files.createDirectories(staging.getParent());
                TreeCopier.copy(source, staging);
                getLog().info("Staged build directory " + source + " into " + staging);
            } else if (Files.exists(source)) {
                throw new ConfigurationException("Parameter 'buildDirectory' is " + source + ", which is not a"
                        + " directory; point it at a directory (default src/main/image)");
            } else {
                Files.createDirectories(staging);
                getLog().info("No build directory " + source + "; staging an empty one in " + staging);
            }
            if (copyDependencies) {
                copyLibraries(staging.resolve(libraryDirectory()));
            }
            for (int i = 0; i < steps.size(); i++) {
                prepared.restore(i + 1, outputs.get(i), staging, source);
            }
        } catch (JetpackException e) {
            throw failure("Cannot stage the build directory into " + staging, e);
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot stage the build directory into " + staging + ": " + e
                    + "; check free space and permissions under " + workDirectoryPath(), e);
        }
        runPrepareSteps(steps, outputs, prepared, staging);
        project.setContextValue(STAGED_BUILD_DIRECTORY, staging);
    }

    private Path libraryDirectory() throws ConfigurationException {
        Path relative = Path.of(libraryDirectory == null ? "" : libraryDirectory.trim()).normalize();
        if (libraryDirectory == null || libraryDirectory.isBlank() || relative.isAbsolute()
                || relative.startsWith("..")) {
            throw new ConfigurationException("Invalid value '" + libraryDirectory + "' for parameter"
                    + " 'libraryDirectory': give a relative path inside the build directory, e.g. lib");
        }
        return relative;
    }

    /** Copies the main artifact (when packaged) and every runtime dependency, each under a unique file name. */
    private void copyLibraries(Path lib) throws IOException, ConfigurationException {
        List<Artifact> artifacts = new ArrayList<>();
        Artifact main = project.getArtifact();
        if (main != null && main.getFile() != null && main.getFile().isFile()) {
            artifacts.add(main);
        } else {
            getLog().debug("The project's artifact is not packaged yet; only dependencies are copied");
        }
        for (Artifact dependency : project.getArtifacts()) {
            if (isLibrary(dependency)) {
                artifacts.add(dependency);
            }
        }
        if (artifacts.isEmpty()) {
            return;
        }
        Files.createDirectories(lib);
        Map<String, Artifact> byName = new HashMap<>();
        for (Artifact artifact : artifacts) {
            if (artifact.getFile() == null || !artifact.getFile().isFile()) {
                // A reactor module only compiled (mvn compile): there is no archive to put into an image.
                getLog().warn("Not copying " + artifact + " into the image: it has no packaged file ("
                        + artifact.getFile() + "); run the build up to package");
                continue;
            }
            String name = fileName(artifact);
            Artifact clash = byName.putIfAbsent(name, artifact);
            if (clash != null) {
                throw new ConfigurationException("Both " + clash + " and " + artifact + " would be copied to "
                        + lib.resolve(name) + "; exclude one of them from the dependencies");
            }
            Files.copy(artifact.getFile().toPath(), lib.resolve(name), StandardCopyOption.COPY_ATTRIBUTES,
                    StandardCopyOption.REPLACE_EXISTING);
        }
        getLog().info("Copied " + byName.size() + " artifact(s) into " + lib);
    }

    /** Compile- and runtime-scope artifacts that are libraries; images (type aci) and POMs are not. */
    private static boolean isLibrary(Artifact artifact) {
        String scope = artifact.getScope();
        boolean runtimeScope = scope == null || Artifact.SCOPE_COMPILE.equals(scope)
                || Artifact.SCOPE_RUNTIME.equals(scope);
        return runtimeScope && !"aci".equals(artifact.getType()) && !"pom".equals(artifact.getType());
    }

    /** {@code artifactId-version[-classifier].extension}, as dependency:copy-dependencies names them. */
    static String fileName(Artifact artifact) {
        String classifier = artifact.hasClassifier() ? "-" + artifact.getClassifier() : "";
        String extension = artifact.getArtifactHandler() != null
                ? artifact.getArtifactHandler().getExtension() : artifact.getType();
        return artifact.getArtifactId() + "-" + artifact.getVersion() + classifier + "." + extension;
    }

    private void runPrepareSteps(List<PrepareStep> steps, List<List<Path>> outputs, PreparedOutputs prepared,
                                 Path staging) throws MojoExecutionException, MojoFailureException {
        if (steps.isEmpty()) {
            return;
        }
        Map<String, String> environment = new HashMap<>(proxies().buildEnvironment());
        environment.put("JETPACK_BUILD_DIRECTORY", staging.toString());
        for (int i = 0; i < steps.size(); i++) {
            String step = steps.get(i).command();
            int number = i + 1;
            HostCommand.Result result;
            try {
                if (prepared.upToDate(number, steps.get(i), outputs.get(i), staging)) {
                    getLog().info("Prepare step " + number + " is up to date (" + outputs.get(i) + " exist from"
                            + " its last run; mvn clean removes them): " + step);
                    continue;
                }
                prepared.starting(number, outputs.get(i), staging);
                getLog().info("+ " + step);
                result = HostCommand.stream(List.of("/bin/sh", "-c", step), staging, environment,
                        line -> getLog().info(line));
                if (result.succeeded()) {
                    prepared.finished(number, steps.get(i), outputs.get(i));
                }
            } catch (IOException e) {
                throw new MojoExecutionException("Cannot run prepare step " + number + " with /bin/sh in " + staging
                        + ": " + e.getMessage(), e);
            }
            if (!result.succeeded()) {
                throw new MojoFailureException("Preparation step " + number + " of " + steps.size()
                        + " failed with exit code " + result.exitCode() + ": " + step + "; its output is above"
                        + " (last lines:\n" + result.output() + "\n). Fix the step in <prepareSteps>");
            }
        }
    }
}
