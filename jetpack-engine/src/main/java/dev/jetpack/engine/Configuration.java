package dev.jetpack.engine;

import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.runtime.ContainerException;
import dev.jetpack.engine.runtime.Runtimes;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The effective settings as {@link Jetpack#config()} reports them; {@link #probe} finds them.
 *
 * @param storeLocation   the image store's absolute directory
 * @param runtimeSetting  the runtime asked for ({@code auto} or a name)
 * @param resolvedRuntime the runtime a build would use, when one works
 * @param runtimeProblem  why none can be used, when {@code resolvedRuntime} is empty
 * @param runtimes        every runtime the engine knows, in {@code auto}'s order, with why it cannot be used here
 * @param compression     the compression of written ACIs
 */
public record Configuration(Path storeLocation, String runtimeSetting, Optional<String> resolvedRuntime,
        Optional<String> runtimeProblem, List<RuntimeStatus> runtimes, Compression compression) {
    public Configuration {
        runtimes = List.copyOf(runtimes);
    }

    /** The settings with the runtime resolved as a build would resolve it (this probes the runtimes once). */
    public static Configuration probe(JetpackSettings settings) {
        List<RuntimeStatus> statuses = Runtimes.all().stream()
                .map(runtime -> new RuntimeStatus(runtime.name(), runtime.unavailableReason()))
                .toList();
        Optional<String> resolved;
        Optional<String> problem;
        try {
            resolved = Optional.of(Runtimes.select(settings.runtime(), EngineLog.SILENT).name());
            problem = Optional.empty();
        } catch (ContainerException e) {
            resolved = Optional.empty();
            problem = Optional.of(e.getMessage());
        }
        return new Configuration(settings.storeLocation().toAbsolutePath().normalize(),
                settings.runtime().displayName(), resolved, problem, statuses, settings.compression());
    }

    /**
     * One container runtime and whether it works here.
     *
     * @param name              the name it is selected by
     * @param unavailableReason empty when it works on this host
     */
    public record RuntimeStatus(String name, Optional<String> unavailableReason) {
    }
}
