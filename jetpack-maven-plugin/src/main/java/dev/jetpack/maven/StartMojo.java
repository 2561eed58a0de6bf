package dev.jetpack.maven;

import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.manifest.Port;
import dev.jetpack.engine.ready.ReadinessWait;
import dev.jetpack.engine.run.AppRun;
import dev.jetpack.engine.run.RunNetwork;
import dev.jetpack.engine.store.StoredImage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Starts apps in the background for the integration tests, with no daemon: the project's own image (with the
 * goal's {@code volumes}, {@code environment}, {@code args} and {@code wait}) and the further images of
 * {@code apps}, in that order, each waited for until it is ready. {@code jetpack:stop} removes them again; if
 * Maven dies in between, the next run's store sweep does.
 *
 * <p>For the tests, each app {@code NAME} gets the project properties {@code jetpack.app.NAME.host} (the address
 * to reach it: 127.0.0.1), {@code jetpack.app.NAME.port.PORTNAME} for each port of its manifest,
 * {@code jetpack.app.NAME.image} (the image ID) and {@code jetpack.app.NAME.log} (its log file).
 */
@Mojo(name = "start", defaultPhase = LifecyclePhase.PRE_INTEGRATION_TEST, threadSafe = true)
public class StartMojo extends AbstractRunMojo {
    /** When the project's own app is ready: {@code <http>}, {@code <log>}, {@code <tcp>}, {@code <timeout>}. */
    @Parameter
    private Wait wait;

    /** Further images to start, each with its own image, name, volumes, environment, args and wait. */
    @Parameter
    private List<App> apps;

    /** Maven's switch for skipping the integration tests also skips starting what they need. */
    @Parameter(property = "skipITs", defaultValue = "false")
    private boolean skipITs;

    @Override
    protected String goal() {
        return "start";
    }

    @Override
    protected Optional<String> skipReason() {
        return skipITs ? Optional.of("skipITs=true") : super.skipReason();
    }

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException, ConfigurationException {
        List<AppLaunch> launches = launches();
        Jetpack jetpack = jetpack();
        StartedApps registry = StartedApps.of(project, workDirectoryPath());
        List<StartedApp> startedHere = new ArrayList<>();
        Set<String> names = new HashSet<>();
        boolean done = false;
        try {
            for (AppLaunch launch : launches) {
                startedHere.add(start(jetpack, launch, names, registry));
            }
            done = true;
        } finally {
            if (!done) {
                // jetpack:stop will not run after a failed start (Maven stops the build): remove what this one started.
                for (StartedApp app : registry.takeAll()) {
                    stopQuietly(app);
                }
                clearStateQuietly(registry);
            }
        }
        getLog().info("Started " + startedHere.size() + " app(s); jetpack:stop removes them");
    }

    private List<AppLaunch> launches() throws ConfigurationException {
        List<AppLaunch> launches = new ArrayList<>();
        boolean mainConfigured = image != null && !image.isBlank();
        if (mainConfigured || projectHasImage() || apps == null || apps.isEmpty()) {
            launches.add(mainApp(wait));
        }
        int index = 0;
        for (App app : apps == null ? List.<App>of() : apps) {
            index++;
            String where = "<apps> entry " + index;
            if (app.image() == null || app.image().isBlank()) {
                throw new ConfigurationException("The " + where + " has no <image>: give the image to run (a path"
                        + " to an .aci file, a URL, a discovery name or Maven coordinates)");
            }
            launches.add(AppLaunch.parse(where, Optional.of(configuredImage(app.image(), "apps")), app.name(),
                    app.volumes(), app.environment(), app.args(), app.waitSettings(), basedir()));
        }
        return launches;
    }

    private StartedApp start(Jetpack jetpack, AppLaunch launch, Set<String> names, StartedApps registry)
            throws MojoFailureException, ConfigurationException {
        StoredImage stored = image(jetpack, launch);
        String instance = instanceName(launch, stored);
        if (!names.add(instance)) {
            throw new ConfigurationException("Two apps are named '" + instance + "' (" + launch.where() + "): give"
                    + " each a different <name>");
        }
        AppOutput output = output(instance, launch);
        AppRun run;
        try {
            run = jetpack.start(spec(stored, instance, launch, output));
        } catch (JetpackException e) {
            output.close();
            throw failure("Cannot start the app " + describe(instance, stored) + "; its log is " + output.file(), e);
        }
        StartedApp started = StartedApp.track(instance, run, output);
        try {
            registry.add(started);
        } catch (IOException e) {
            stopQuietly(started);
            throw new MojoFailureException("Cannot record the started app " + instance + " in "
                    + registry.stateFile() + ": " + e.getMessage(), e);
        }
        getLog().info("Started " + describe(instance, stored) + ", log " + output.file());
        if (!launch.ready().isEmpty()) {
            awaitReady(instance, launch, run, output);
        }
        exposeProperties(instance, stored, output);
        return started;
    }

    private void awaitReady(String instance, AppLaunch launch, AppRun run, AppOutput output)
            throws MojoFailureException {
        try {
            Duration took = new ReadinessWait(instance, launch.ready(), launch.timeout())
                    .await(() -> run.isAlive() ? Optional.empty() : run.waitFor(Duration.ZERO), output::lastLines);
            getLog().info("App " + instance + " is ready (" + describe(launch.ready()) + ") after "
                    + took.toMillis() + " ms");
        } catch (JetpackException e) {
            throw new MojoFailureException(e.getMessage() + "\nThe whole log: " + output.file(), e);
        }
    }

    /** The properties tests read, as fabric8's docker:start sets docker.container.NAME.* */
    private void exposeProperties(String instance, StoredImage stored, AppOutput output)
            throws ConfigurationException {
        String prefix = "jetpack.app." + instance + ".";
        RunNetwork chosen = network();
        project.getProperties().setProperty(prefix + "host", "127.0.0.1");
        project.getProperties().setProperty(prefix + "image", stored.id().value());
        project.getProperties().setProperty(prefix + "log", output.file().toString());
        if (chosen == RunNetwork.HOST && stored.manifest().app() != null) {
            for (Port port : stored.manifest().app().ports()) {
                if (port.name() != null && port.port() != null) {
                    project.getProperties().setProperty(prefix + "port." + port.name(), String.valueOf(port.port()));
                }
            }
        }
    }

    private void clearStateQuietly(StartedApps registry) {
        try {
            registry.clearState();
        } catch (IOException e) {
            getLog().warn("Cannot remove " + registry.stateFile() + ": " + e.getMessage());
        }
    }

    private void stopQuietly(StartedApp app) {
        try {
            app.stop(Duration.ofSeconds(StopMojo.DEFAULT_GRACE_SECONDS));
        } catch (RuntimeException e) {
            getLog().warn("Cannot stop the app " + app.name() + ": " + e.getMessage());
        }
    }
}
