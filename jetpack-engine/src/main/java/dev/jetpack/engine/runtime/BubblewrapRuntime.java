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
 * sandbox dies with its first process.
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
        for (String capability : CAPABILITIES) {
            line.add("--cap-add");
            line.add(capability);
        }
        for (PreparedRootfs.ResolvedBind bind : prepared.binds()) {
            line.addAll(List.of("--ro-bind", bind.source().toString(), bind.destination()));
        }
        line.add("--clearenv");
        for (Map.Entry<String, String> variable : spec.effectiveEnvironment().entrySet()) {
            line.addAll(List.of("--setenv", variable.getKey(), variable.getValue()));
        }
        line.addAll(List.of("--chdir", prepared.workingDirectory(), "--"));
        line.addAll(spec.command());
        return Invocation.of(line);
    }
}
