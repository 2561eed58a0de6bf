package dev.jetpack.engine.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The fallback that needs nothing beyond util-linux (and coreutils' timeout): {@code unshare --mount --pid --ipc --uts --fork
 * --kill-child} runs a host shell that mounts /proc, a tmpfs /dev with the usual device nodes, devpts, shm,
 * mqueue, /sys (read-only) and the binds into the rootfs, then {@code setpriv} sets the group and
 * supplementary groups, drops the capability bounding set to the spec's, and {@code unshare --root --wd
 * [--setuid]} enters the rootfs and its working directory, switches to the user and executes the command (no
 * shell is needed in the image).
 *
 * <p>{@code setpriv --pdeathsig KILL} ties the run to the thread that started it, so even a JVM killed with
 * SIGKILL takes its container along. All mounts live in the private mount namespace, so they vanish with its last process: the host never
 * sees them, however the run ends. {@code timeout 0} is pid 1 of the pid namespace and the command its child,
 * so when the command exits (or unshare is killed, thanks to {@code --kill-child}) every process it started dies
 * too.
 */
public final class ChrootRuntime extends AbstractRuntime {
    /*
     * Runs in the host's /bin/sh inside the new namespaces. $1 = rootfs, then source/destination/ro|rw triples up to
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
            "  if [ \"$3\" = ro ]; then mount -o remount,bind,ro,nosuid,nodev \"$R$2\";"
                    + " else mount -o remount,bind,nosuid,nodev \"$R$2\"; fi",
            "  shift 3",
            "done",
            "shift",
            "hostname " + HOSTNAME,
            "exec \"$@\"");

    @Override
    public String name() {
        return "chroot";
    }

    /** A remembered trial is tied to util-linux's unshare, which does the work. */
    @Override
    Optional<Path> probedTool() {
        return findExecutable("unshare");
    }

    @Override
    Optional<String> staticCheck() {
        return requireExecutable(name(), "unshare")
                .or(() -> requireExecutable(name(), "setpriv"))
                .or(() -> requireExecutable(name(), "mount"))
                .or(() -> requireExecutable(name(), "timeout"));
    }

    /*
     * The capability bounding set is dropped before the chroot (nothing of the host can run after it), so the
     * chroot and the switch to the user need their capabilities in it; and there is no cgroup.
     */
    @Override
    public Optional<String> unsupported(ContainerSpec spec) {
        if (!spec.limits().isEmpty()) {
            return Optional.of("chroot puts no cgroup around its container, so it cannot limit memory or CPU");
        }
        List<String> needed = spec.user().isRoot() ? List.of("CAP_SYS_CHROOT") : List.of("CAP_SYS_CHROOT", "CAP_SETUID");
        List<String> missing = needed.stream().filter(capability -> !spec.capabilities().contains(capability)).toList();
        if (!missing.isEmpty()) {
            return Optional.of("chroot enters the rootfs and switches the user after it has bounded the capabilities,"
                    + " so the set must keep " + String.join(" and ", missing));
        }
        return Optional.empty();
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
            line.add(bind.readOnly() ? "ro" : "rw");
        }
        line.add("--");
        // timeout (without a limit) is the namespace's init and runs the command as its child, so that the
        // command is an ordinary process for signals, and reports 128+N when signal N killed it (unshare
        // 2.38 cannot: it fails to re-raise the signal and exits 1).
        line.addAll(List.of(executable("timeout"), "0"));
        line.add(executable("env"));
        line.add("-i");
        line.add("--");
        for (Map.Entry<String, String> variable : spec.effectiveEnvironment().entrySet()) {
            line.add(variable.getKey() + "=" + variable.getValue());
        }
        String bounding = spec.capabilities().stream()
                .map(capability -> ",+" + capability.substring("CAP_".length()).toLowerCase())
                .collect(Collectors.joining());
        line.add(executable("setpriv"));
        ContainerUser user = spec.user();
        if (!user.equals(ContainerUser.ROOT)) {
            line.addAll(List.of("--regid", Long.toString(user.gid())));
            line.addAll(user.supplementaryGids().isEmpty() ? List.of("--clear-groups") : List.of("--groups",
                    user.supplementaryGids().stream().map(String::valueOf).collect(Collectors.joining(","))));
        }
        if (spec.noNewPrivileges()) {
            line.add("--no-new-privs");
        }
        line.addAll(List.of("--bounding-set", "-all" + bounding, "--inh-caps", "-all",
                executable("unshare"), "--root", prepared.rootfs().toString(), "--wd", prepared.workingDirectory()));
        // setuid last, after the chroot: unshare's --setgid would clear the supplementary groups set above.
        if (!user.isRoot()) {
            line.addAll(List.of("--setuid", Long.toString(user.uid())));
        }
        line.add("--");
        line.addAll(spec.command());
        return Invocation.of(line, Invocation.CommandPosition.CHILD_OF_NAMESPACE_INIT);
    }
}
