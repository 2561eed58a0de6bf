package dev.jetpack.engine.runtime;

import dev.jetpack.engine.EngineLog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses a container runtime by name, or the best one that works here ({@code auto}).
 *
 * <p><b>Order for {@code auto}: crun, runc, bwrap, chroot.</b> Start-up cost barely matters next to a build
 * command. Measured end to end ({@link ContainerRuntime#run} of {@code true}: prepare, run, delete, clean up;
 * median of 15 after warm-up) on the 2-core Debian 12 build host under load (load average ≈ 8): bwrap ≈ 18 ms,
 * crun ≈ 70 ms (with the hybrid-cgroup workaround), runc ≈ 75 ms, chroot ≈ 95 ms (its setup forks a dozen
 * mount/mknod helpers). So the order goes by isolation first: the OCI runtimes add a cgroup, masked /proc paths
 * and the exact OCI capability set; crun is preferred to runc as the lighter of the two. bubblewrap and the
 * util-linux fallback share the namespaces and capability set but have no cgroup.
 *
 * <p>Probing runs a trial container per runtime (see {@link ContainerRuntime#unavailableReason()}); the
 * runtimes are singletons, so every runtime is probed at most once per JVM.
 */
public final class Runtimes {
    private static final List<ContainerRuntime> ALL = List.of(OciRuntime.crun(), OciRuntime.runc(),
            new BubblewrapRuntime(), new ChrootRuntime());

    private Runtimes() {
    }

    /** Every runtime this engine knows, usable here or not, in {@code auto}'s order of preference. */
    public static List<ContainerRuntime> all() {
        return ALL;
    }

    /**
     * Removes what killed JVMs left of the OCI runtimes' containers and bundles (see
     * {@link OciRuntime#removeStale}); the other runtimes die with their JVM and leave nothing of their own.
     *
     * @return what was removed (container ids and bundle paths)
     */
    public static List<String> removeStaleContainers(EngineLog log) {
        List<String> removed = new ArrayList<>();
        for (ContainerRuntime runtime : ALL) {
            if (runtime instanceof OciRuntime oci) {
                removed.addAll(oci.removeStale(log));
            }
        }
        OciRuntime.removeOrphanBundles(log, removed); // after the containers: a bundle is theirs until deleted
        return removed;
    }

    /** The runtimes of {@link #all()} that work on this host (probes them). */
    public static List<ContainerRuntime> usable() {
        return ALL.stream().filter(runtime -> runtime.unavailableReason().isEmpty()).toList();
    }

    /**
     * The runtime named {@code name} ({@code auto}, {@code crun}, {@code runc}, {@code bwrap} or
     * {@code bubblewrap}, {@code chroot}; case-insensitive).
     *
     * @throws ContainerException for an unknown name, for a forced runtime that does not work here (with the
     *                            reason and the runtimes that do), and when {@code auto} finds none
     */
    public static ContainerRuntime select(String name, EngineLog log) {
        return select(RuntimeChoice.parse(name), log);
    }

    /** The runtime {@code choice} names; see {@link #select(String, EngineLog)}. */
    public static ContainerRuntime select(RuntimeChoice choice, EngineLog log) {
        return select(choice.displayName(), log, ALL);
    }

    /*
     * The selection over any candidate list, so that tests can present a runtime that does not work; a name is
     * one of the candidates' names or auto ({@link RuntimeChoice} has checked a user's name already).
     */
    static ContainerRuntime select(String name, EngineLog log, List<ContainerRuntime> candidates) {
        if (name.equals(RuntimeChoice.AUTO.displayName())) {
            return selectAutomatically(log, candidates);
        }
        ContainerRuntime runtime = candidates.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new ContainerException("container runtime '" + name + "' is not one of the"
                        + " candidates " + candidates.stream().map(ContainerRuntime::name).toList()));
        Optional<String> reason = runtime.unavailableReason();
        if (reason.isPresent()) {
            List<String> alternatives = candidates.stream().filter(r -> r.unavailableReason().isEmpty()).map(ContainerRuntime::name).toList();
            throw new ContainerException("container runtime '" + runtime.name() + "' cannot be used on this host: "
                    + reason.get() + ". " + (alternatives.isEmpty() ? "No other runtime works here either."
                    : "Choose one that works here: " + String.join(", ", alternatives) + " (or auto)."));
        }
        log.info("Container runtime: " + describe(runtime) + " (chosen by the user)");
        return runtime;
    }

    private static ContainerRuntime selectAutomatically(EngineLog log, List<ContainerRuntime> candidates) {
        List<String> passedOver = new ArrayList<>();
        for (ContainerRuntime runtime : candidates) {
            Optional<String> reason = runtime.unavailableReason();
            if (reason.isEmpty()) {
                log.info("Container runtime: " + describe(runtime) + " (auto"
                        + (passedOver.isEmpty() ? "" : "; passed over: " + String.join("; ", passedOver)) + ")");
                return runtime;
            }
            passedOver.add(reason.get());
            log.debug("Container runtime " + runtime.name() + " passed over: " + reason.get());
        }
        throw new ContainerException("no container runtime works on this host: " + String.join("; ", passedOver)
                + ". Install runc, crun or bubblewrap, or make util-linux unshare/setpriv available (and run as root)");
    }

    private static String describe(ContainerRuntime runtime) {
        String text = runtime.name();
        if (runtime instanceof AbstractRuntime probed && probed.probeRemembered()) {
            text += ", trial run passed earlier this boot";
        } else if (runtime instanceof AbstractRuntime probed && probed.probeMillis() >= 0) {
            text += ", trial run " + probed.probeMillis() + " ms";
        }
        if (runtime instanceof OciRuntime oci && oci.usesCgroup2Workaround()) {
            text += ", cgroup2 mount hidden in a private mount namespace because this host has hybrid cgroups";
        }
        return text;
    }
}
