package dev.jetpack.maven;

import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.build.BuildFingerprint;
import dev.jetpack.engine.io.FileTrees;
import dev.jetpack.engine.io.HostCommand;
import dev.jetpack.engine.io.TreeCopier;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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
        if (Files.exists(source) && !Files.isDirectory(source)) {
            throw new ConfigurationException("Parameter 'buildDirectory' is " + source + ", which is not a"
                    + " directory; point it at a directory (default src/main/image)");
        }
        List<PrepareStep> steps = prepareSteps == null ? List.of() : prepareSteps;
        List<List<Path>> outputs = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            outputs.add(steps.get(i).outputs(i + 1));
        }
        // A plain step runs every time, and on a fresh copy: only with steps that declare what they create (or
        // none) may the staged copy outlive a build.
        boolean keepable = outputs.stream().noneMatch(List::isEmpty);
        Set<String> created = new HashSet<>();
        outputs.forEach(paths -> paths.forEach(path -> created.add(path.toString())));
        PreparedOutputs prepared = new PreparedOutputs(workDirectoryPath());
        StagingRecord record = new StagingRecord(workDirectoryPath());
        BuildFingerprint sources;
        boolean staged;
        try {
            Map<String, Path> libraries = copyDependencies ? libraries() : Map.of();
            sources = stagingSources(source, libraries);
            staged = !(keepable && record.upToDate(sources, staging, created));
            if (staged) {
                record.forget();
                stage(source, staging, libraries, outputs, prepared);
            } else {
                getLog().info("Staged build directory " + staging + " is up to date: " + source + " and the"
                        + " copied artifacts are unchanged since it was staged (mvn clean stages it afresh)");
            }
        } catch (JetpackException e) {
            throw failure("Cannot stage the build directory into " + staging, e);
        } catch (IOException e) {
            throw stagingFailed(staging, e);
        }
        boolean stepsRan = runPrepareSteps(steps, outputs, prepared, staging);
        // Unless something changed the staged copy, the record of the last prepare still describes it.
        if (keepable && (staged || stepsRan)) {
            try {
                record.remember(sources, staging, created);
            } catch (IOException e) {
                throw stagingFailed(staging, e);
            }
        }
        project.setContextValue(STAGED_BUILD_DIRECTORY, staging);
        project.setContextValue(PREPARED_OUTPUTS, keepable ? madeBy(prepared, outputs, staging) : Map.of());
    }

    /**
     * Each output of the steps, by the record of the run that made it: when every step declares its outputs, a
     * step that changes anything has run, and so has a new record. (A plain step may change anything at any
     * time, so with one of them the build looks at the whole staged tree.)
     */
    private Map<String, String> madeBy(PreparedOutputs prepared, List<List<Path>> outputs, Path staging)
            throws MojoExecutionException {
        Map<String, String> made = new TreeMap<>();
        try {
            for (int i = 0; i < outputs.size(); i++) {
                Optional<String> run = prepared.runIdentity(i + 1);
                for (Path output : outputs.get(i)) {
                    if (run.isPresent() && Files.exists(staging.resolve(output), LinkOption.NOFOLLOW_LINKS)) {
                        made.put(output.toString(), "prepare step " + (i + 1) + "\n" + run.get());
                    }
                }
            }
        } catch (IOException e) {
            throw stagingFailed(staging, e);
        }
        return made;
    }

    /**
     * Stages {@code source} afresh, so that a file removed from the build directory does not linger in the
     * image; the outputs of prepare steps are moved aside and back (renames, no copies).
     */
    private void stage(Path source, Path staging, Map<String, Path> libraries, List<List<Path>> outputs,
            PreparedOutputs prepared) throws IOException, ConfigurationException {
        for (int i = 0; i < outputs.size(); i++) {
            prepared.keep(i + 1, outputs.get(i), staging);
        }
        FileTrees.deleteRecursively(staging);
        if (Files.isDirectory(source)) {
            Files.createDirectories(staging.getParent());
            TreeCopier.copy(source, staging);
            getLog().info("Staged build directory " + source + " into " + staging);
        } else {
            Files.createDirectories(staging);
            getLog().info("No build directory " + source + "; staging an empty one in " + staging);
        }
        if (copyDependencies) {
            copyLibraries(libraries, staging.resolve(libraryDirectory()));
        }
        for (int i = 0; i < outputs.size(); i++) {
            prepared.restore(i + 1, outputs.get(i), staging, source);
        }
    }

    /** What the staged copy is made from: the build directory, each copied artifact and where they go. */
    private BuildFingerprint stagingSources(Path source, Map<String, Path> libraries) throws IOException,
            ConfigurationException {
        BuildFingerprint.Builder sources = BuildFingerprint.builder()
                .tree("build directory", source)
                .value("library directory", libraries.isEmpty() ? null : libraryDirectory().toString());
        for (Map.Entry<String, Path> library : new TreeMap<>(libraries).entrySet()) {
            sources.tree("artifact " + library.getKey(), library.getValue());
        }
        return sources.build();
    }

    private MojoExecutionException stagingFailed(Path staging, IOException e) {
        return new MojoExecutionException("Cannot stage the build directory into " + staging + ": " + e
                + "; check free space and permissions under " + workDirectoryPath(), e);
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

    /**
     * The main artifact (when packaged) and every runtime dependency that has a file, by the unique file name
     * each gets in the library directory.
     */
    private Map<String, Path> libraries() throws ConfigurationException {
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
        Map<String, Artifact> byName = new HashMap<>();
        Map<String, Path> libraries = new LinkedHashMap<>();
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
                        + libraryDirectory().resolve(name) + " of the build directory; exclude one of them from"
                        + " the dependencies");
            }
            libraries.put(name, artifact.getFile().toPath());
        }
        return libraries;
    }

    private void copyLibraries(Map<String, Path> libraries, Path lib) throws IOException {
        if (libraries.isEmpty()) {
            return;
        }
        Files.createDirectories(lib);
        for (Map.Entry<String, Path> library : libraries.entrySet()) {
            Files.copy(library.getValue(), lib.resolve(library.getKey()), StandardCopyOption.COPY_ATTRIBUTES,
                    StandardCopyOption.REPLACE_EXISTING);
        }
        getLog().info("Copied " + libraries.size() + " artifact(s) into " + lib);
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

    /** Runs the steps that are not up to date; returns whether any ran. */
    private boolean runPrepareSteps(List<PrepareStep> steps, List<List<Path>> outputs, PreparedOutputs prepared,
                                    Path staging) throws MojoExecutionException, MojoFailureException {
        if (steps.isEmpty()) {
            return false;
        }
        boolean ran = false;
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
                ran = true;
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
        return ran;
    }
}
