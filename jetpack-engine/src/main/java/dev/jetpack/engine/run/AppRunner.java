package dev.jetpack.engine.run;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.JetpackSettings;
import dev.jetpack.engine.build.BuildContainer;
import dev.jetpack.engine.manifest.App;
import dev.jetpack.engine.manifest.EventHandler;
import dev.jetpack.engine.runtime.ContainerException;
import dev.jetpack.engine.runtime.ContainerRun;
import dev.jetpack.engine.runtime.ContainerRuntime;
import dev.jetpack.engine.runtime.ContainerSpec;
import dev.jetpack.engine.runtime.RunResult;
import dev.jetpack.engine.runtime.Runtimes;
import dev.jetpack.engine.store.ImageStore;
import dev.jetpack.engine.store.StoredImage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The use case behind {@code Jetpack.start} and {@code Jetpack.run}: runs a stored image's app as the appc
 * executor specification ({@code spec/ace.md}) says, the way rkt did where it is silent.
 *
 * <p>The app runs in a container over an overlay of the image's rendered rootfs (dependencies applied), so
 * starting costs the same for any image size and the store is never written to; the overlay lives under the
 * store's {@value #RUNS} directory, stamped with this JVM ({@link BuildContainer}), so that the sweep of a later
 * process removes what a killed run left there. In order: the {@code pre-start} handler, the app's {@code exec}
 * with the user's arguments appended, the {@code post-stop} handler, each a container run in the same rootfs
 * with the same user, environment, working directory, volumes and isolators.
 */
public final class AppRunner {
    /** The store's directory of running apps' overlays. */
    public static final String RUNS = "runs";

    /** Removes the app containers (overlays, empty volumes) of runs whose JVM died, in {@code store}. */
    public static List<Path> removeStaleApps(ImageStore store, EngineLog log) {
        return BuildContainer.cleanStale(store.root().resolve(RUNS), "app container", log);
    }

    private final ImageStore store;
    private final JetpackSettings settings;
    private final EngineLog log;

    public AppRunner(ImageStore store, JetpackSettings settings, EngineLog log) {
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * Starts the app in the background; returns once its process runs (pre-start done).
     *
     * @throws EventHandlerFailedException when pre-start fails; nothing is left then
     * @throws RunException                when the image has no app, or it cannot run as asked
     */
    public AppRun start(AppRunSpec spec) {
        StoredImage image = spec.image();
        String described = image.describe();
        App app = image.manifest().app();
        if (app == null) {
            throw new RunException("The image " + described + " has no app in its manifest, so there is nothing to"
                    + " run. Build it with an app (exec, user, group), or run an image that has one.");
        }
        List<String> command = new ArrayList<>(app.exec());
        command.addAll(spec.arguments());
        if (command.isEmpty()) {
            throw new RunException("The app of " + described + " has no exec and no arguments were given: there is"
                    + " no program to start. Give the program as arguments, or add exec to the manifest.");
        }
        String name = spec.name().orElseGet(() -> defaultName(image.name()));
        AppIsolation isolation = AppIsolation.of(app.isolators(), described);
        AppUser user = AppUser.resolve(app, image.rootfs(), described);
        ContainerRuntime runtime = Runtimes.select(spec.runtime().orElse(settings.runtime()), log);

        BuildContainer container = BuildContainer.create(image.rootfs(), store.root().resolve(RUNS),
                BuildContainer.Mode.AUTO, name);
        container.fallbackReason().ifPresent(reason -> log.warn("The app " + name + " runs in a copy of " + described
                + ", not an overlay (" + reason + "): starting took time and disk space in proportion to the image"));
        try {
            ContainerSpec.Builder base = ContainerSpec.builder(container.root(), command)
                    .workingDirectory(app.workingDirectory() == null ? "/" : app.workingDirectory())
                    .environment(AppEnvironment.of(app, spec.environment(), name, user))
                    .hostNetwork(spec.network() == RunNetwork.HOST)
                    .user(user.identity())
                    .capabilities(isolation.capabilities())
                    .limits(isolation.limits())
                    .noNewPrivileges(isolation.noNewPrivileges());
            if (spec.network() == RunNetwork.HOST) {
                base.hostResolvConf();
            }
            for (ContainerSpec.Bind bind : AppVolumes.bind(app.mountPoints(), spec.volumes(),
                    container.directory().resolve("volumes"), described, log)) {
                base.bind(bind.source(), bind.destination(), bind.readOnly());
            }
            ContainerSpec appSpec = base.build();
            Optional<String> unsupported = runtime.unsupported(appSpec);
            if (unsupported.isPresent()) {
                throw new RunException("The app of " + described + " cannot run with the " + runtime.name()
                        + " runtime: " + unsupported.get() + ". Choose another runtime (runc or crun).");
            }
            log.info("Running " + name + " (" + described + ") with " + runtime.name() + " as "
                    + user.identity().describe() + ": " + String.join(" ", command));
            Optional<EventHandler> preStart = app.eventHandler(EventHandler.PRE_START);
            if (preStart.isPresent()) {
                RunResult result = runtime.run(handlerSpec(appSpec, preStart.get()), spec.output());
                if (!result.succeeded()) {
                    throw new EventHandlerFailedException("The pre-start handler " + preStart.get().exec() + " of "
                            + described + " exited with " + result.exitCode()
                            + RunningApp.describeSignal(result.exitCode()) + ", so the app was not started"
                            + (result.lastLines().isEmpty() ? "." : ". Its last output: "
                            + String.join(" / ", result.lastLines())), EventHandler.PRE_START, result.exitCode());
                }
            }
            ContainerRun run = runtime.start(appSpec, spec.output());
            Optional<EventHandler> postStop = app.eventHandler(EventHandler.POST_STOP);
            return new RunningApp(name, run,
                    () -> postStop.map(handler -> runtime.run(handlerSpec(appSpec, handler), spec.output())),
                    container, log);
        } catch (ContainerException e) {
            container.close();
            throw new RunException("The app of " + described + " cannot be started: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            container.close();
            throw e;
        }
    }

    /**
     * Runs the app in the foreground: starts it, passes on the SIGINT and SIGTERM this process gets, waits, runs
     * post-stop and removes everything.
     *
     * @return the app's exit code
     */
    public int run(AppRunSpec spec) {
        try (AppRun app = start(spec); SignalForwarding forwarding = SignalForwarding.to(app)) {
            return app.waitFor();
        }
    }

    /* An event handler runs as the app does, with its own command. */
    private static ContainerSpec handlerSpec(ContainerSpec appSpec, EventHandler handler) {
        return new ContainerSpec(appSpec.rootfs(), handler.exec(), appSpec.workingDirectory(), appSpec.environment(),
                appSpec.hostNetwork(), appSpec.resolvConf(), appSpec.binds(), appSpec.user(), appSpec.capabilities(),
                appSpec.limits(), appSpec.noNewPrivileges());
    }

    /** The image name's last component as an AC Name, as rkt named apps: {@code example.com/my_app} is my-app. */
    static String defaultName(String imageName) {
        String last = imageName.substring(imageName.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        String name = last.replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return name.isEmpty() ? "app" : name;
    }
}
