package dev.jetpack.engine.runtime;

import dev.jetpack.engine.io.JsonTrees;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.io.FileTrees;
import dev.jetpack.engine.io.HostCommand;
import dev.jetpack.engine.io.Mounts;
import dev.jetpack.engine.io.ProcessStamp;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * runc or crun, driven through an OCI bundle: a temporary directory holding {@code config.json} that points at
 * the rootfs in place (no copy). The container runs in the foreground ({@code RUNTIME run}), without a
 * terminal, so its stdout and stderr are the runtime process's; it is always {@code delete -f}'d afterwards.
 *
 * <p><b>crun on hybrid-cgroup hosts.</b> crun refuses to run when the cgroup v2 hierarchy is mounted next to
 * v1 hierarchies and has controllers ("cgroups in hybrid mode not supported"), as on Debian hosts booted with
 * systemd's hybrid layout. It works when the cgroup2 mount is invisible to it, so on such hosts every crun
 * invocation runs inside {@code unshare --mount --propagation private} after unmounting the cgroup2 mount
 * points in that private namespace; the host's own mounts are untouched. crun then uses the v1 hierarchies.
 * The probe tries crun plainly first and uses the workaround only when that fails for this reason.
 */
public final class OciRuntime extends AbstractRuntime {
    /**
     * Prefix of every container id this engine creates: {@code jetpack-PID-STARTMILLIS-N-RANDOM}, the creating
     * JVM's {@link ProcessStamp} (with '-' for '.', so that {@code jetpack-PID-} finds a JVM's containers) and a
     * number and random part that make it unique.
     */
    public static final String CONTAINER_ID_PREFIX = "jetpack-";

    private static final AtomicLong COUNTER = new AtomicLong();
    private static final SecureRandom RANDOM = new SecureRandom();
    /* The CFS period a CPU limit is a quota of: the kernel's default, 100 ms. */
    private static final long CPU_PERIOD_MICROS = 100_000;
    private static final String HYBRID_MESSAGE = "hybrid mode not supported";
    /** Prefix of the bundle directories in the temporary directory, followed by the JVM's {@link ProcessStamp}. */
    static final String BUNDLE_PREFIX = "jetpack-oci-";
    /* Containers of earlier versions have no start time: jetpack-PID-N-RANDOM. */
    private static final Pattern OWN_ID = Pattern.compile(Pattern.quote(CONTAINER_ID_PREFIX)
            + "(\\d+)-(?:(\\d+)-)?\\d+-\\p{XDigit}+");

    private final String tool;
    private volatile List<Path> hiddenCgroup2 = List.of();

    /* Package-private for tests, which need a runtime whose tool does not exist. */
    OciRuntime(String tool) {
        this.tool = tool;
    }

    public static OciRuntime runc() {
        return new OciRuntime("runc");
    }

    public static OciRuntime crun() {
        return new OciRuntime("crun");
    }

    @Override
    public String name() {
        return tool;
    }

    /** True when this runtime hides the host's cgroup2 mount to work (crun on a hybrid-cgroup host). */
    public boolean usesCgroup2Workaround() {
        unavailableReason();
        return !hiddenCgroup2.isEmpty();
    }

    @Override
    Optional<String> staticCheck() {
        return requireExecutable(tool, tool);
    }

    /** The cgroup2 mount points to hide, when the trial needed the workaround. */
    @Override
    List<String> probeState() {
        return hiddenCgroup2.stream().map(Path::toString).toList();
    }

    @Override
    void restoreProbeState(List<String> state) {
        hiddenCgroup2 = state.stream().map(Path::of).toList();
    }

    @Override
    Optional<String> trial(ContainerSpec spec) {
        Optional<String> plain = super.trial(spec);
        if (plain.isEmpty() || !plain.get().contains(HYBRID_MESSAGE)) {
            return plain;
        }
        List<Path> cgroup2;
        try {
            cgroup2 = Mounts.mountPointsOfType("cgroup2");
        } catch (IOException e) {
            return plain;
        }
        if (cgroup2.isEmpty() || findExecutable("unshare").isEmpty()) {
            return plain;
        }
        hiddenCgroup2 = cgroup2;
        Optional<String> hidden = super.trial(spec);
        if (hidden.isPresent()) {
            hiddenCgroup2 = List.of();
            return Optional.of(plain.get() + " (also failed with the cgroup2 mount hidden in a private mount"
                    + " namespace: " + hidden.get() + ")");
        }
        return hidden;
    }

    @Override
    Invocation invocation(ContainerSpec spec, PreparedRootfs prepared) throws IOException {
        ProcessStamp owner = ProcessStamp.current();
        String id = CONTAINER_ID_PREFIX + owner.pid() + "-" + owner.startMillis() + "-" + COUNTER.incrementAndGet()
                + "-" + HexFormat.of().formatHex(randomBytes());
        // The bundle's name carries the JVM's stamp, so that the bundle of a killed JVM is recognised as stale.
        Path bundle = Files.createTempDirectory(BUNDLE_PREFIX + owner + "-");
        try {
            Files.write(bundle.resolve("config.json"), JsonTrees.writePretty(config(spec, prepared)));
        } catch (IOException | RuntimeException e) {
            FileTrees.deleteRecursively(bundle);
            throw e;
        }
        Runnable delete = () -> HostCommand.run(command(List.of("delete", "-f", id)));
        Runnable cleanup = () -> {
            delete.run();
            try {
                FileTrees.deleteRecursively(bundle);
            } catch (IOException e) {
                // a stray bundle in /tmp holds no mount and no process; not worth failing the build for
            }
        };
        return new Invocation(command(List.of("run", "--bundle", bundle.toString(), id)), delete, cleanup,
                Invocation.CommandPosition.NAMESPACE_INIT);
    }

    /**
     * Removes what JVMs killed in the middle of a run left of this runtime: containers named
     * {@code jetpack-PID-STARTMILLIS-…} whose JVM is gone ({@link ProcessStamp#isAlive()}) are
     * {@code delete -f}'d, which kills what still runs in them, and their bundle directories are deleted.
     * ({@link #removeOrphanBundles} removes the bundles of dead JVMs that have no container.) A JVM that dies with {@code kill -9}
     * cannot do this itself: {@code RUNTIME run} outlives it and keeps the build command running.
     *
     * @return the ids of the containers and the paths of their bundles removed
     */
    public List<String> removeStale(EngineLog log) {
        List<String> removed = new ArrayList<>();
        if (staticCheck().isPresent()) {
            return removed; // not installed: it cannot have left anything
        }
        if (!mayHoldStale()) {
            return removed;
        }
        HostCommand.Result list = HostCommand.run(command(List.of("list", "--format", "json")));
        if (list.succeeded()) {
            for (JsonNode container : parseList(list.output())) {
                String id = container.path("id").asText();
                if (isStale(id)) {
                    removeContainer(id, container.path("bundle").asText(), log, removed);
                }
            }
        } else {
            log.warn(tool + ": cannot list containers to remove stale ones: " + list.describe());
        }
        return removed;
    }

    /**
     * False only when the runtime's state directory shows that it has no container of a dead JVM, so that the
     * sweep of every store opening (two goals per module) need not start {@code list} (two processes per
     * runtime). The runtime keeps one directory per container there, named by its id ({@code --root}'s default
     * for root: {@code /run/runc}, {@code /run/crun}); anything unclear (another user, an unreadable directory)
     * is left to {@code list}.
     */
    private boolean mayHoldStale() {
        try {
            if (!"0".equals(jvmUid())) {
                return true;
            }
            Path state = Path.of("/run", Path.of(tool).getFileName().toString());
            if (!Files.exists(state, LinkOption.NOFOLLOW_LINKS)) {
                return false; // it never ran a container since boot
            }
            try (DirectoryStream<Path> containers = Files.newDirectoryStream(state)) {
                for (Path container : containers) {
                    if (isStale(container.getFileName().toString())) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    private static List<JsonNode> parseList(String output) {
        List<JsonNode> containers = new ArrayList<>();
        try {
            JsonNode root = JsonTrees.read(output.strip().isEmpty() ? "null" : output);
            if (root != null && root.isArray()) {
                root.forEach(containers::add);
            }
        } catch (IOException e) {
            // not JSON (an old runtime): nothing we can safely act on
        }
        return containers;
    }

    /* Ours (jetpack-PID-…) and the JVM it names is gone. An id without a start time counts as "start unknown". */
    static boolean isStale(String id) {
        Matcher matcher = OWN_ID.matcher(id);
        if (!matcher.matches()) {
            return false; // not made by this engine: never touched
        }
        try {
            long pid = Long.parseLong(matcher.group(1));
            long startMillis = matcher.group(2) == null ? 0 : Long.parseLong(matcher.group(2));
            return !new ProcessStamp(pid, startMillis).isAlive();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void removeContainer(String id, String bundle, EngineLog log, List<String> removed) {
        HostCommand.Result delete = HostCommand.run(command(List.of("delete", "-f", id)));
        if (!delete.succeeded() && hiddenCgroup2.isEmpty() && delete.output().contains(HYBRID_MESSAGE)) {
            unavailableReason(); // the probe finds the cgroup2 workaround, which delete then needs too
            delete = HostCommand.run(command(List.of("delete", "-f", id)));
        }
        // crun on a hybrid-cgroup host removes the container but exits 1 ("cannot open directory
        // /run/crun/ID"): what counts is that the runtime no longer lists it.
        if (!delete.succeeded() && isListed(id)) {
            log.warn("Cannot remove the stale " + tool + " container " + id + " (its JVM is gone): "
                    + delete.describe() + ". Remove it with '" + tool + " delete -f " + id + "'.");
            return;
        }
        removed.add(id);
        log.info("Removed the stale " + tool + " container " + id + " (its JVM is gone)");
        Path bundlePath = bundle.isEmpty() ? null : Path.of(bundle);
        if (bundlePath != null && bundlePath.getFileName() != null
                && bundlePath.getFileName().toString().startsWith(BUNDLE_PREFIX)) {
            deleteBundle(bundlePath, log, removed);
        }
    }

    private boolean isListed(String id) {
        HostCommand.Result list = HostCommand.run(command(List.of("list", "--format", "json")));
        return !list.succeeded()
                || parseList(list.output()).stream().anyMatch(container -> container.path("id").asText().equals(id));
    }

    /** Bundles whose JVM died before or after its container existed (between mkdir and run, or after delete). */
    static void removeOrphanBundles(EngineLog log, List<String> removed) {
        Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> bundles = Files.newDirectoryStream(temporary, BUNDLE_PREFIX + "*")) {
            for (Path bundle : bundles) {
                String rest = bundle.getFileName().toString().substring(BUNDLE_PREFIX.length());
                Optional<ProcessStamp> owner = ProcessStamp.find(rest);
                if (owner.isPresent() && !owner.get().isAlive()
                        && Files.isDirectory(bundle, LinkOption.NOFOLLOW_LINKS)) {
                    deleteBundle(bundle, log, removed);
                }
            }
        } catch (IOException e) {
            log.warn("Cannot look for stale OCI bundles in " + temporary + ": " + e.getMessage());
        }
    }

    private static void deleteBundle(Path bundle, EngineLog log, List<String> removed) {
        try {
            if (Files.exists(bundle, LinkOption.NOFOLLOW_LINKS)) {
                FileTrees.deleteRecursively(bundle);
                removed.add(bundle.toString());
                log.info("Removed the stale OCI bundle " + bundle);
            }
        } catch (IOException e) {
            log.warn("Cannot remove the stale OCI bundle " + bundle + ": " + e.getMessage());
        }
    }

    /* The tool's command line, wrapped so that crun does not see the cgroup2 mount when it must not. */
    private List<String> command(List<String> arguments) {
        List<String> line = new ArrayList<>();
        List<Path> hide = hiddenCgroup2;
        if (!hide.isEmpty()) {
            line.addAll(List.of(executable("unshare"), "--mount", "--propagation", "private", "--", "/bin/sh", "-c",
                    "while [ \"$1\" != -- ]; do umount \"$1\" || exit 125; shift; done; shift; exec \"$@\"",
                    "hide-cgroup2"));
            hide.forEach(point -> line.add(point.toString()));
            line.add("--");
        }
        line.add(executable(tool));
        line.addAll(arguments);
        return line;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private ObjectNode config(ContainerSpec spec, PreparedRootfs prepared) {
        ObjectNode config = JsonTrees.object();
        config.put("ociVersion", "1.0.2");

        ObjectNode process = config.putObject("process");
        process.put("terminal", false);
        ObjectNode user = process.putObject("user");
        user.put("uid", spec.user().uid());
        user.put("gid", spec.user().gid());
        if (!spec.user().supplementaryGids().isEmpty()) {
            ArrayNode groups = user.putArray("additionalGids");
            spec.user().supplementaryGids().forEach(groups::add);
        }
        ArrayNode args = process.putArray("args");
        spec.command().forEach(args::add);
        ArrayNode env = process.putArray("env");
        for (Map.Entry<String, String> variable : spec.effectiveEnvironment().entrySet()) {
            env.add(variable.getKey() + "=" + variable.getValue());
        }
        process.put("cwd", prepared.workingDirectory());
        // A user other than root holds no capabilities, as after setuid(2) elsewhere; the bounding set still
        // limits what it could gain.
        ObjectNode capabilities = process.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            ArrayNode list = capabilities.putArray(set);
            if (set.equals("bounding") || spec.user().isRoot()) {
                spec.capabilities().forEach(list::add);
            }
        }
        ArrayNode rlimits = process.putArray("rlimits");
        long openFiles = HostLimits.openFilesHardLimit();
        ObjectNode nofile = rlimits.addObject();
        nofile.put("type", "RLIMIT_NOFILE");
        nofile.put("hard", openFiles);
        nofile.put("soft", openFiles);
        process.put("noNewPrivileges", spec.noNewPrivileges());

        ObjectNode root = config.putObject("root");
        root.put("path", prepared.rootfs().toString());
        root.put("readonly", false);
        config.put("hostname", HOSTNAME);

        ArrayNode mounts = config.putArray("mounts");
        mount(mounts, "/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev"));
        mount(mounts, "/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
        mount(mounts, "/dev/pts", "devpts", "devpts",
                List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"));
        mount(mounts, "/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k"));
        mount(mounts, "/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev"));
        mount(mounts, "/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro"));
        for (PreparedRootfs.ResolvedBind bind : prepared.binds()) {
            mount(mounts, bind.destination(), "bind", bind.source().toString(), bind.readOnly()
                    ? List.of("rbind", "ro", "nosuid", "nodev") : List.of("rbind", "nosuid", "nodev"));
        }

        ObjectNode linux = config.putObject("linux");
        if (!spec.limits().isEmpty()) {
            ObjectNode resources = linux.putObject("resources");
            spec.limits().memoryBytes().ifPresent(bytes -> resources.putObject("memory").put("limit", bytes));
            spec.limits().cpuMillicores().ifPresent(millicores -> {
                ObjectNode cpu = resources.putObject("cpu");
                cpu.put("period", CPU_PERIOD_MICROS);
                cpu.put("quota", millicores * CPU_PERIOD_MICROS / 1000);
            });
        }
        ArrayNode namespaces = linux.putArray("namespaces");
        List<String> types = new ArrayList<>(List.of("pid", "ipc", "uts", "mount"));
        if (!spec.hostNetwork()) {
            types.add("network");
        }
        types.forEach(type -> namespaces.addObject().put("type", type));
        ArrayNode masked = linux.putArray("maskedPaths");
        List.of("/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sched_debug", "/sys/firmware")
                .forEach(masked::add);
        ArrayNode readonly = linux.putArray("readonlyPaths");
        List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger").forEach(readonly::add);
        return config;
    }

    private static void mount(ArrayNode mounts, String destination, String type, String source, List<String> options) {
        ObjectNode mount = mounts.addObject();
        mount.put("destination", destination);
        mount.put("type", type);
        mount.put("source", source);
        ArrayNode list = mount.putArray("options");
        options.forEach(list::add);
    }
}
