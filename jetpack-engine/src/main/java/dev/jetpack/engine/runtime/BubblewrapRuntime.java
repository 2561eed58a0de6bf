package dev.jetpack.engine.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * bubblewrap ({@code bwrap}): binds the rootfs as {@code /} in fresh pid, ipc, uts and mount namespaces, with
 * its own /proc, a minimal /dev (null, zero, full, random, urandom, tty, pts, shm), an mqueue and the host's
 * /sys read-only. Run as root, bwrap would keep every capability; it is restricted to the same set as the OCI
 * runtimes. {@code --die-with-parent} ties the sandbox to the JVM, and with its own pid namespace the whole
 * sandbox dies with its first process. bwrap always sets {@code no_new_privs}.
 */
public final class BubblewrapRuntime extends AbstractRuntime {
    @Override
    public String name() {
        return "bwrap";
    }

    @Override
    Optional<String> staticCheck() {
        return requireExecutable(name(), "bwrap");
    }

    /*
     * Without a user namespace bwrap has no way to switch users (its --uid needs one), and in a user namespace
     * every other owner in the image would show as nobody; it has no cgroups either.
     */
    @Override
    public Optional<String> unsupported(ContainerSpec spec) {
        if (!spec.user().equals(ContainerUser.ROOT)) {
            return Optional.of("bwrap runs commands as root only (uid 0, gid 0, no further groups): without a user"
                    + " namespace it cannot switch to " + spec.user().describe() + ", and inside one every other owner"
                    + " in the image would show as nobody");
        }
        if (!spec.limits().isEmpty()) {
            return Optional.of("bwrap puts no cgroup around its sandbox, so it cannot limit memory or CPU");
        }
        return Optional.empty();
    }

    @Override
    Invocation invocation(ContainerSpec spec, PreparedRootfs prepared) {
        List<String> line = new ArrayList<>(List.of(executable("bwrap"),
                "--bind", prepared.rootfs().toString(), "/",
                "--proc", "/proc",
                "--dev", "/dev",
                "--mqueue", "/dev/mqueue",
                "--ro-bind", "/sys", "/sys",
                "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--hostname", HOSTNAME,
                "--die-with-parent", "--new-session",
                "--uid", "0", "--gid", "0",
                "--cap-drop", "ALL"));
        if (!spec.hostNetwork()) {
            line.add("--unshare-net");
        }
        for (String capability : spec.capabilities()) {
            line.add("--cap-add");
            line.add(capability);
        }
        for (PreparedRootfs.ResolvedBind bind : prepared.binds()) {
            line.addAll(List.of(bind.readOnly() ? "--ro-bind" : "--bind", bind.source().toString(), bind.destination()));
        }
        line.add("--clearenv");
        for (Map.Entry<String, String> variable : spec.effectiveEnvironment().entrySet()) {
            line.addAll(List.of("--setenv", variable.getKey(), variable.getValue()));
        }
        line.addAll(List.of("--chdir", prepared.workingDirectory(), "--"));
        line.addAll(spec.command());
        // bwrap stays the namespace's init and runs the command as its first child.
        return Invocation.of(line, Invocation.CommandPosition.CHILD_OF_NAMESPACE_INIT);
    }
}
