package dev.jetpack.maven;

import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.store.StoredImage;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Runs an app in the foreground, by default the image this project built, until it exits; Ctrl-C stops it (the
 * signal is passed on to the app, and everything it ran in is removed). Its output goes to Maven's log and to
 * {@code target/jetpack/<name>.log}. An app that exits with a code other than 0 fails the build, unless the exit
 * is the one of a signal the user sent (130 for Ctrl-C, 143 for SIGTERM).
 */
@Mojo(name = "run", threadSafe = true)
public class RunMojo extends AbstractRunMojo {
    /** Exit codes of an app ended by SIGINT (Ctrl-C) or SIGTERM: the user stopped it, which is no failure. */
    private static final int INTERRUPTED = 130;
    private static final int TERMINATED = 143;

    /** Whether an exit code other than 0 fails the build. */
    @Parameter(property = "jetpack.run.failOnExitCode", defaultValue = "true")
    private boolean failOnExitCode;

    @Override
    protected String goal() {
        return "run";
    }

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException, ConfigurationException {
        AppLaunch launch = mainApp(null);
        Jetpack jetpack = jetpack();
        StoredImage stored = image(jetpack, launch);
        String instance = instanceName(launch, stored);
        int exit;
        try (AppOutput output = output(instance, launch)) {
            getLog().info("Running " + describe(instance, stored) + " in the foreground (Ctrl-C stops it), log "
                    + output.file());
            try {
                exit = jetpack.run(spec(stored, instance, launch, output));
            } catch (JetpackException e) {
                throw failure("Cannot run the app " + describe(instance, stored) + "; its log is " + output.file(),
                        e);
            }
        }
        getLog().info("App " + instance + " exited with code " + exit);
        if (exit != 0 && exit != INTERRUPTED && exit != TERMINATED && failOnExitCode) {
            throw new MojoFailureException("The app " + instance + " exited with code " + exit + "; its output is"
                    + " above and in " + workDirectoryPath().resolve(instance + ".log")
                    + " (set failOnExitCode to false to accept it)");
        }
    }
}
