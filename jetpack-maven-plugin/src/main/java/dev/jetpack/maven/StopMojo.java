package dev.jetpack.maven;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Stops and removes every app {@code jetpack:start} started for this project: SIGTERM, SIGKILL after
 * {@code stopTimeout}, then container, overlay and work directory. Bound to post-integration-test, which
 * maven-failsafe-plugin reaches even when tests fail (its verify goal fails the build afterwards). Apps left by
 * a Maven run that is gone (killed) are removed by the store sweep, which this goal runs then. Nothing started
 * is not an error.
 */
@Mojo(name = "stop", defaultPhase = LifecyclePhase.POST_INTEGRATION_TEST, threadSafe = true)
public class StopMojo extends AbstractJetpackMojo {
    static final int DEFAULT_GRACE_SECONDS = 10;

    /** Seconds between SIGTERM and SIGKILL. */
    @Parameter(property = "jetpack.stop.timeout", defaultValue = "10")
    private int stopTimeout;

    /** Maven's switch for skipping the integration tests also skips this goal. */
    @Parameter(property = "skipITs", defaultValue = "false")
    private boolean skipITs;

    @Override
    protected String goal() {
        return "stop";
    }

    @Override
    protected Optional<String> skipReason() {
        return skipITs ? Optional.of("skipITs=true") : super.skipReason();
    }

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException, ConfigurationException {
        if (stopTimeout < 0) {
            throw new ConfigurationException("stopTimeout is " + stopTimeout + ": give the seconds between SIGTERM"
                    + " and SIGKILL, 0 or more");
        }
        StartedApps registry = StartedApps.of(project, workDirectoryPath());
        List<String> stopped = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (StartedApp app : registry.takeAll()) {
            try {
                int exit = app.stop(Duration.ofSeconds(stopTimeout));
                getLog().info("Stopped " + app.name() + " (exit code " + exit + "), log " + app.output().file());
                stopped.add(app.name());
            } catch (RuntimeException e) {
                // Each app is stopped even when an earlier one could not be.
                failures.add(app.name() + ": " + e.getMessage());
            }
        }
        List<String> leftBehind = leftByEarlierRun(registry, stopped);
        if (!leftBehind.isEmpty()) {
            // The run that started them is gone (killed): the sweep removes what dead processes left.
            List<String> removed = jetpack().removeStaleWork();
            getLog().info("The Maven run that started " + String.join(", ", leftBehind) + " is not this one: the store"
                    + " sweep removed what dead runs left (an app whose Maven run still goes on is that run's to stop)"
                    + (removed.isEmpty() ? "" : ": " + String.join(", ", removed)));
        }
        if (!failures.isEmpty()) {
            throw new MojoFailureException("Cannot stop every app: " + String.join("; ", failures));
        }
        try {
            registry.clearState();
        } catch (IOException e) {
            throw new MojoFailureException("Cannot remove " + registry.stateFile() + ": " + e.getMessage(), e);
        }
        if (stopped.isEmpty() && leftBehind.isEmpty()) {
            getLog().info("Nothing to stop: jetpack:start started no app for this project");
        }
    }

    private List<String> leftByEarlierRun(StartedApps registry, List<String> stopped) throws MojoFailureException {
        try {
            return registry.recordedNames().stream().filter(n -> !stopped.contains(n)).toList();
        } catch (IOException e) {
            throw new MojoFailureException("Cannot read " + registry.stateFile() + ": " + e.getMessage(), e);
        }
    }
}
