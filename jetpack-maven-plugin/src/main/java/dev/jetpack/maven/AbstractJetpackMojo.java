package dev.jetpack.maven;

import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.JetpackSettings;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * What every jetpack goal shares: the skip switch, the store, the plugin's work directory, offline mode, and
 * the translation of configuration errors into build failures.
 *
 * <p>Mojos keep all state in instance fields and the project they run for, so they are thread-safe
 * ({@code mvn -T}); nothing is static and mutable.
 */
public abstract class AbstractJetpackMojo extends AbstractMojo {
    /** Key under which {@code jetpack:prepare} records the staged build directory in the project's context. */
    static final String STAGED_BUILD_DIRECTORY = "dev.jetpack.maven.stagedBuildDirectory";
    /**
     * Key under which {@code jetpack:prepare} records what its steps made in the staged build directory, when
     * every step declares it ({@code <creates>}): a {@code Map<String, String>} from the path, relative to the
     * staged directory, to the record of the run that made it.
     */
    static final String PREPARED_OUTPUTS = "dev.jetpack.maven.preparedOutputs";

    /** The project the goal runs for (set by Maven). */
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    /** The Maven session: offline mode, settings.xml, the repositories (set by Maven). */
    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    protected MavenSession session;

    /** Skips the goal, with a log line saying so. */
    @Parameter(property = "jetpack.skip", defaultValue = "false")
    protected boolean skip;

    /** The image store (where fetched and built images are kept); when unset, the engine's default store. */
    @Parameter(property = "jetpack.store")
    protected File store;

    /**
     * The plugin's scratch space: the staged build directory ({@code build/}) and anything else the plugin
     * writes besides the ACI. Removed by {@code jetpack:clean}.
     */
    @Parameter(defaultValue = "${project.build.directory}/jetpack", readonly = true, required = true)
    protected File workDirectory;

    @Component
    private SettingsDecrypter settingsDecrypter;

    /** The decrypted proxies, once {@link #proxies()} read them. */
    private ProxySettings proxies;

    /** The goal's name, for log lines: {@code build}, {@code fetch}, ... */
    protected abstract String goal();

    /** Why the goal is skipped (the switch that says so), or empty to run it. */
    protected Optional<String> skipReason() {
        return skip ? Optional.of("jetpack.skip=true") : Optional.empty();
    }

    /** The goal's work, run unless skipped. */
    protected abstract void run() throws MojoExecutionException, MojoFailureException, ConfigurationException;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        Optional<String> skipped = skipReason();
        if (skipped.isPresent()) {
            getLog().info("Skipping jetpack:" + goal() + " (" + skipped.get() + ")");
            return;
        }
        try {
            run();
        } catch (ConfigurationException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
    }

    /**
     * The engine facade for this goal: the configured store (else the engine's default), Maven's log, and
     * progress lines that stay quiet in batch mode. Runtime and compression are the build's own parameters,
     * given with each build request.
     */
    protected Jetpack jetpack() {
        JetpackSettings.Builder settings = JetpackSettings.builder();
        storePath().ifPresent(settings::storeLocation);
        boolean interactive = session != null && session.getRequest() != null
                && session.getRequest().isInteractiveMode();
        return new Jetpack(settings.build(), new MavenEngineLog(getLog()),
                new MavenProgress(line -> getLog().info(line), interactive));
    }

    /**
     * An engine failure as a build failure: the engine's messages already say what failed, why and what to do;
     * {@code what} says which goal's work it was.
     */
    protected MojoFailureException failure(String what, JetpackException e) {
        return new MojoFailureException(what + ": " + e.getMessage(), e);
    }

    /** Maven's {@code -o}. */
    protected boolean offline() {
        return session != null && session.isOffline();
    }

    protected Optional<Path> storePath() {
        return Optional.ofNullable(store).map(f -> f.toPath().toAbsolutePath().normalize());
    }

    protected Path basedir() {
        return project.getBasedir().toPath().toAbsolutePath().normalize();
    }

    protected Path workDirectoryPath() {
        return workDirectory.toPath().toAbsolutePath().normalize();
    }

    /** The staging copy of the build directory that {@code jetpack:prepare} fills. */
    protected Path stagingDirectory() {
        return workDirectoryPath().resolve("build");
    }

    /** Resolves a configured path against the project's basedir (Maven gives {@code File}s relative to the CWD). */
    protected Path resolve(File file) {
        return file.isAbsolute() ? file.toPath().normalize() : basedir().resolve(file.toPath()).normalize();
    }

    /**
     * The active proxies of settings.xml, passwords decrypted: once per goal execution (each execution has a
     * mojo instance of its own), however many parts of the goal need them.
     */
    protected ProxySettings proxies() throws MojoFailureException {
        if (proxies == null) {
            proxies = decryptProxies();
        }
        return proxies;
    }

    /**
     * The {@code <server>} entries of settings.xml, passwords decrypted like the proxies' (registry credentials
     * for {@code jetpack:push}).
     */
    protected List<Server> decryptedServers() throws MojoFailureException {
        List<Server> servers = session.getSettings().getServers();
        if (servers.isEmpty()) {
            return List.of();
        }
        SettingsDecryptionResult result = settingsDecrypter.decrypt(new DefaultSettingsDecryptionRequest()
                .setServers(servers));
        requireNoErrors(result, "Cannot use the servers of settings.xml: ",
                "; fix the server's password (see mvn --encrypt-password)");
        return result.getServers();
    }

    private ProxySettings decryptProxies() throws MojoFailureException {
        List<Proxy> active = new ArrayList<>();
        for (Proxy proxy : session.getSettings().getProxies()) {
            if (proxy.isActive()) {
                active.add(proxy);
            }
        }
        if (active.isEmpty()) {
            return ProxySettings.NONE;
        }
        SettingsDecryptionResult result = settingsDecrypter.decrypt(new DefaultSettingsDecryptionRequest()
                .setProxies(active));
        requireNoErrors(result, "Cannot use the proxies of settings.xml: ",
                "; fix the proxy's password (see mvn --encrypt-password) or deactivate the proxy");
        return ProxySettings.fromMaven(result.getProxies());
    }

    /** A decryption error (not a warning) fails the goal: {@code what}, the problem, then {@code fix}. */
    private static void requireNoErrors(SettingsDecryptionResult result, String what, String fix)
            throws MojoFailureException {
        for (SettingsProblem problem : result.getProblems()) {
            if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
                throw new MojoFailureException(what + problem.getMessage() + fix);
            }
        }
    }
}
