package dev.jetpack.maven;

import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.fetch.ImageSource;
import dev.jetpack.engine.ready.LogReady;
import dev.jetpack.engine.ready.ReadyCondition;
import dev.jetpack.engine.run.AppRunSpec;
import dev.jetpack.engine.run.RunNetwork;
import dev.jetpack.engine.runtime.OutputSink;
import dev.jetpack.engine.runtime.RuntimeChoice;
import dev.jetpack.engine.store.StoredImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * What {@code jetpack:run} and {@code jetpack:start} share: the app to run (by default the image this project
 * built), its volumes, environment and arguments, the network and the runtime; the app's output goes to
 * {@code target/jetpack/<name>.log} and to Maven's log.
 */
public abstract class AbstractRunMojo extends AbstractImageMojo {
    /**
     * The image to run, in the same forms as {@code parentImage} (path, URL, discovery name, Maven coordinates).
     * Unset: the image this project builds ({@code target/<finalName>.aci}, imported into the store if needed).
     */
    @Parameter(property = "jetpack.run.image")
    protected String image;

    /**
     * The app's instance name: its log file's name, the name in log lines and in the Maven properties set by
     * {@code jetpack:start}. Unset: the last component of the image's name ({@code example-nginx}).
     */
    @Parameter(property = "jetpack.run.name")
    protected String name;

    /** Host paths for the image's mount points, by mount point name: {@code <html>src/test/www</html>}. */
    @Parameter
    protected Map<String, String> volumes;

    /** Environment variables added to (and overriding) the manifest's. */
    @Parameter
    protected Map<String, String> environment;

    /** Arguments appended to the app's {@code exec}. */
    @Parameter
    protected List<String> args;

    /** {@code host} (default: the app listens on this host's addresses) or {@code none} (loopback only). */
    @Parameter(property = "jetpack.run.network", defaultValue = "host")
    protected String network;

    /** What runs the app: {@code auto} (default), {@code runc}, {@code crun}, {@code bwrap}, {@code chroot}. */
    @Parameter(property = "jetpack.runtime", defaultValue = "auto")
    protected String runtime;

    /** The app of the goal's own settings ({@code image}, {@code volumes}, ...) with {@code wait}. */
    protected AppLaunch mainApp(Wait wait) throws ConfigurationException {
        Optional<ConfiguredImage> configured = image == null || image.isBlank() ? Optional.empty()
                : Optional.of(configuredImage(image, "image"));
        return AppLaunch.parse("the goal's <configuration>", configured, name, volumes, environment, args, wait,
                basedir());
    }

    /** Whether the project has an image of its own to run: packaging {@code aci}, or a built ACI. */
    protected boolean projectHasImage() {
        return ImageAttachment.ACI.equals(project.getPackaging())
                || Files.isRegularFile(ImageAttachment.aciFile(project));
    }

    /** The app's image in the store: the configured one fetched, or the project's own ACI imported. */
    protected StoredImage image(Jetpack jetpack, AppLaunch app) throws MojoFailureException, ConfigurationException {
        if (app.image().isPresent()) {
            return fetch(jetpack, app.image().get());
        }
        Path aci = ImageAttachment.aciFile(project);
        if (!Files.isRegularFile(aci)) {
            throw new MojoFailureException("Cannot run the project's image: " + aci + " does not exist. Build it"
                    + " first (mvn package; jetpack:start is bound to pre-integration-test, which comes after"
                    + " package), or set <image> to the image to run");
        }
        return fetch(jetpack, new ConfiguredImage("the project's image", aci.toString(),
                new ImageSource.LocalFile(aci)));
    }

    /** The configured instance name, else one derived from the image's name. */
    protected static String instanceName(AppLaunch app, StoredImage image) throws ConfigurationException {
        if (app.name().isPresent()) {
            String configured = app.name().get();
            if (!ImageNames.AC_NAME.matcher(configured).matches()) {
                throw new ConfigurationException("The app name '" + configured + "' in " + app.where() + " is not"
                        + " an AC Name: use lower-case letters and digits, words joined by single dashes (web-1)");
            }
            return configured;
        }
        return ImageNames.appName(image.name());
    }

    /** The app's output: {@code target/jetpack/<name>.log}, Maven's log, and the log conditions of its wait. */
    protected AppOutput output(String instance, AppLaunch app) throws MojoFailureException {
        List<OutputSink> listeners = app.ready().stream().filter(LogReady.class::isInstance)
                .map(LogReady.class::cast).map(OutputSink.class::cast).toList();
        Path file = workDirectoryPath().resolve(instance + ".log");
        try {
            return new AppOutput(instance, file, getLog(), listeners);
        } catch (IOException e) {
            throw new MojoFailureException("Cannot create the log file " + file + " of the app " + instance + ": "
                    + e.getMessage(), e);
        }
    }

    /** The configured network, parsed. */
    protected RunNetwork network() throws ConfigurationException {
        return Choices.parse(RunNetwork.class, network, RunNetwork.HOST, "network", "jetpack.run.network");
    }

    /** The engine's request for {@code app}, output to {@code output}. */
    protected AppRunSpec spec(StoredImage stored, String instance, AppLaunch app, OutputSink output)
            throws ConfigurationException {
        AppRunSpec.Builder spec = AppRunSpec.builder(stored)
                .name(instance)
                .arguments(app.arguments())
                .network(network())
                .runtime(Choices.parse(RuntimeChoice.class, runtime, RuntimeChoice.AUTO, "runtime",
                        "jetpack.runtime"))
                .output(output);
        app.volumes().forEach(spec::volume);
        app.environment().forEach(spec::env);
        return spec.build();
    }

    /** For log lines: {@code web (sha512-0123abcd..., example.com/web:1.0)}. */
    protected static String describe(String instance, StoredImage stored) {
        return instance + " (" + stored.describe() + ")";
    }

    /** The conditions as a user reads them. */
    protected static String describe(List<ReadyCondition> conditions) {
        return String.join(", ", conditions.stream().map(ReadyCondition::describe).toList());
    }
}
