package dev.jetpack.engine.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The fallback that needs nothing beyond util-linux: {@code unshare --mount --pid --ipc --uts --fork
 * --kill-child} runs a host shell that mounts /proc, a tmpfs /dev with the usual device nodes, devpts, shm,
 * mqueue, /sys (read-only) and the binds into the rootfs, then {@code setpriv} drops the capability bounding
 * set to the one the OCI runtimes use, and {@code unshare --root --wd} enters the rootfs and its working
 * directory and executes the command (no shell is needed in the image).
 *
 * <p>{@code setpriv --pdeathsig KILL} ties the run to the thread that started it, so even a JVM killed with
 * SIGKILL takes its container along. All mounts live in the private mount namespace, so they vanish with its last process: the host never
 * sees them, however the run ends. The command is pid 1 of its pid namespace, so when it exits (or unshare is
 * killed, thanks to {@code --kill-child}) every process it started dies too.
 */
public final class ChrootRuntime extends AbstractRuntime {
    /*
     * Runs in the host's /bin/sh inside the new namespaces. $1 = rootfs, then source/destination pairs up to
     * "--", then the command line to exec. set -e: any failed mount aborts before the command runs.
     */
    private static final String SETUP = String.join("\n",
            "set -e",
            "R=$1; shift",
            "mount -t proc -o nosuid,noexec,nodev proc \"$R/proc\"",
            "mount -t tmpfs -o nosuid,strictatime,mode=755,size=65536k tmpfs \"$R/dev\"",
            "mknod -m 666 \"$R/dev/null\" c 1 3",
            "mknod -m 666 \"$R/dev/zero\" c 1 5",
            "mknod -m 666 \"$R/dev/full\" c 1 7",
            "mknod -m 666 \"$R/dev/random\" c 1 8",
            "mknod -m 666 \"$R/dev/urandom\" c 1 9",
            "mknod -m 666 \"$R/dev/tty\" c 5 0",
            "mkdir -m 755 \"$R/dev/pts\" \"$R/dev/mqueue\"",
            "mkdir -m 1777 \"$R/dev/shm\"",
            "mount -t devpts -o nosuid,noexec,newinstance,ptmxmode=0666,mode=0620 devpts \"$R/dev/pts\"",
            "ln -s pts/ptmx \"$R/dev/ptmx\"",
            "mount -t tmpfs -o nosuid,noexec,nodev,mode=1777,size=65536k shm \"$R/dev/shm\"",
            "mount -t mqueue -o nosuid,noexec,nodev mqueue \"$R/dev/mqueue\"",
            "ln -s /proc/self/fd \"$R/dev/fd\"",
            "ln -s /proc/self/fd/0 \"$R/dev/stdin\"",
            "ln -s /proc/self/fd/1 \"$R/dev/stdout\"",
            "ln -s /proc/self/fd/2 \"$R/dev/stderr\"",
            "mount --rbind /sys \"$R/sys\"",
            "mount -o remount,bind,ro \"$R/sys\"",
            "while [ \"$1\" != -- ]; do",
            "  mount --bind \"$1\" \"$R$2\"",
            "  mount -o remount,bind,ro,nosuid,nodev \"$R$2\"",
            "  shift 2",
            "done",
            "shift",
            "hostname " + HOSTNAME,
            "exec \"$@\"");

    @Override
    public String name() {
        return "chroot";
    }

    @Override
    Optional<String> staticCheck() {
        return requireExecutable(name(), "unshare")
                .or(() -> requireExecutable(name(), "setpriv"))
                .or(() -> requireExecutable(name(), "mount"));
    }

    @Override
    Invocation invocation(ContainerSpec spec, PreparedRootfs prepared) {
        // pdeathsig: if the JVM dies without running its shutdown hook (SIGKILL), unshare is killed, and
        // --kill-child takes the whole namespace with it, like bwrap's --die-with-parent.
        List<String> line = new ArrayList<>(List.of(executable("setpriv"), "--pdeathsig", "KILL", "--",
                executable("unshare"), "--mount", "--propagation", "private", "--pid", "--ipc", "--uts", "--fork", "--kill-child"));
        if (!spec.hostNetwork()) {
            line.add("--net");
        }
        line.addAll(List.of("--", "/bin/sh", "-c", SETUP, "jetpack-chroot", prepared.rootfs().toString()));
        for (PreparedRootfs.ResolvedBind bind : prepared.binds()) {
            line.add(bind.source().toString());
            line.add(bind.destination());
        }
        line.add("--");
        line.add(executable("env"));
        line.add("-i");
        line.add("--");
        for (Map.Entry<String, String> variable : spec.effectiveEnvironment().entrySet()) {
            line.add(variable.getKey() + "=" + variable.getValue());
        }
        String bounding = CAPABILITIES.stream()
                .map(capability -> "+" + capability.substring("CAP_".length()).toLowerCase())
                .collect(Collectors.joining(","));
        line.addAll(List.of(executable("setpriv"), "--bounding-set", "-all," + bounding, "--inh-caps", "-all",
                executable("unshare"), "--root", prepared.rootfs().toString(), "--wd", prepared.workingDirectory(),
                "--"));
        line.addAll(spec.command());
        return Invocation.of(line);
    }
}
