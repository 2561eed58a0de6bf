package dev.jetpack.engine.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What to run and where: a command in a rootfs, by default as uid 0 / gid 0 with {@link #DEFAULT_CAPABILITIES}
 * and no resource limits (what a build command gets).
 *
 * @param rootfs           the directory that becomes {@code /}; it must exist
 * @param command          program and arguments; the program is looked up on the container's {@code PATH}
 *                         when it has no slash
 * @param workingDirectory absolute path inside the container; it must already exist in the rootfs (runtimes
 *                         would otherwise create it silently, and it would end up in the image)
 * @param environment      the complete environment, in order; nothing is inherited from the JVM. Without a
 *                         {@code PATH} entry the runtimes use {@link #DEFAULT_PATH}, without {@code HOME} {@code /root}
 * @param hostNetwork      share the host's network namespace (needed for package installs); else a fresh,
 *                         empty one with only loopback
 * @param resolvConf       a host file bound read-only at {@code /etc/resolv.conf} (over the image's own file,
 *                         which stays unchanged; if that is a symlink, over its target inside the rootfs)
 * @param binds            further host files or directories bound into the container, in order
 * @param user             who the command runs as
 * @param capabilities     the capability bounding set ({@code CAP_...} names); a command running as uid 0 also
 *                         has them effective and permitted, any other user has none effective (as after a
 *                         plain setuid) and can gain none beyond this set
 * @param limits           memory and CPU limits; runtimes without cgroups refuse specs that set any
 * @param noNewPrivileges  set {@code no_new_privs}: setuid binaries and file capabilities grant nothing
 */
public record ContainerSpec(Path rootfs, List<String> command, String workingDirectory,
                            Map<String, String> environment, boolean hostNetwork, Optional<Path> resolvConf,
                            List<Bind> binds, ContainerUser user, List<String> capabilities, ResourceLimits limits,
                            boolean noNewPrivileges) {
    /** The PATH a container gets when the spec's environment has none. */
    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /**
     * The capabilities a command gets unless the spec says otherwise: Docker's default set, which package
     * managers need (apt drops privileges with setgroups/setuid, dpkg chowns and mknods). Notably not
     * CAP_SYS_ADMIN: a build cannot mount.
     */
    public static final List<String> DEFAULT_CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER",
            "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
            "CAP_NET_RAW", "CAP_SYS_CHROOT", "CAP_MKNOD", "CAP_AUDIT_WRITE", "CAP_SETFCAP");

    /** A host path bound at an absolute path inside the container, read-only or writable. */
    public record Bind(Path source, String destination, boolean readOnly) {
        public Bind {
            Objects.requireNonNull(source, "source");
            requireAbsolute(destination, "bind destination");
        }
    }

    public ContainerSpec {
        Objects.requireNonNull(rootfs, "rootfs");
        rootfs = rootfs.toAbsolutePath().normalize();
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("a container needs a command: the command list is empty");
        }
        requireAbsolute(workingDirectory, "working directory");
        environment = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        for (String name : environment.keySet()) {
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("environment variable name '" + name
                        + "' is not allowed: it must be non-empty and contain no '=' or NUL");
            }
        }
        Objects.requireNonNull(resolvConf, "resolvConf");
        binds = List.copyOf(binds);
        Objects.requireNonNull(user, "user");
        capabilities = List.copyOf(capabilities);
        for (String capability : capabilities) {
            if (!capability.matches("CAP_[A-Z_]+")) {
                throw new IllegalArgumentException("capability '" + capability + "' is not a capability name:"
                        + " write it as CAP_ and the upper-case name, e.g. CAP_NET_BIND_SERVICE");
            }
        }
        Objects.requireNonNull(limits, "limits");
    }

    /**
     * What the command actually sees: the environment with {@code PATH} ({@link #DEFAULT_PATH}) and
     * {@code HOME} ({@code /root}) defaulted, as the OCI runtimes would do on their own anyway; defaulting them
     * here makes every runtime give the same environment.
     */
    public Map<String, String> effectiveEnvironment() {
        Map<String, String> effective = new LinkedHashMap<>(environment);
        effective.putIfAbsent("PATH", DEFAULT_PATH);
        effective.putIfAbsent("HOME", "/root");
        return effective;
    }

    /** Starts a spec that runs {@code command} in {@code rootfs}, in {@code /}, with the host network. */
    public static Builder builder(Path rootfs, List<String> command) {
        return new Builder(rootfs, command);
    }

    /** Shorthand for {@code /bin/sh -c script}. */
    public static Builder shell(Path rootfs, String script) {
        return new Builder(rootfs, List.of("/bin/sh", "-c", script));
    }

    private static void requireAbsolute(String path, String what) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException(what + " '" + path + "' must be an absolute path inside the container");
        }
    }

    /**
     * Builds a {@link ContainerSpec}; defaults: cwd {@code /}, empty environment, host network, no binds, root,
     * {@link #DEFAULT_CAPABILITIES}, no limits, privileges may be gained.
     */
    public static final class Builder {
        private final Path rootfs;
        private final List<String> command;
        private String workingDirectory = "/";
        private final Map<String, String> environment = new LinkedHashMap<>();
        private boolean hostNetwork = true;
        private Path resolvConf;
        private final List<Bind> binds = new ArrayList<>();
        private ContainerUser user = ContainerUser.ROOT;
        private List<String> capabilities = DEFAULT_CAPABILITIES;
        private ResourceLimits limits = ResourceLimits.NONE;
        private boolean noNewPrivileges;

        private Builder(Path rootfs, List<String> command) {
            this.rootfs = rootfs;
            this.command = List.copyOf(command);
        }

        public Builder workingDirectory(String directory) {
            this.workingDirectory = directory;
            return this;
        }

        public Builder env(String name, String value) {
            environment.put(name, Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder environment(Map<String, String> variables) {
            environment.putAll(variables);
            return this;
        }

        public Builder hostNetwork(boolean shared) {
            this.hostNetwork = shared;
            return this;
        }

        public Builder resolvConf(Path hostFile) {
            this.resolvConf = hostFile;
            return this;
        }

        /** Binds the host's own {@code /etc/resolv.conf}, if it has one. */
        public Builder hostResolvConf() {
            Path host = Path.of("/etc/resolv.conf");
            this.resolvConf = java.nio.file.Files.isRegularFile(host) ? host : null;
            return this;
        }

        public Builder readOnlyBind(Path source, String destination) {
            return bind(source, destination, true);
        }

        public Builder bind(Path source, String destination, boolean readOnly) {
            binds.add(new Bind(source, destination, readOnly));
            return this;
        }

        public Builder user(ContainerUser runAs) {
            this.user = Objects.requireNonNull(runAs, "runAs");
            return this;
        }

        public Builder capabilities(List<String> boundingSet) {
            this.capabilities = List.copyOf(boundingSet);
            return this;
        }

        public Builder limits(ResourceLimits resourceLimits) {
            this.limits = Objects.requireNonNull(resourceLimits, "resourceLimits");
            return this;
        }

        public Builder noNewPrivileges(boolean set) {
            this.noNewPrivileges = set;
            return this;
        }

        public ContainerSpec build() {
            return new ContainerSpec(rootfs, command, workingDirectory, environment, hostNetwork,
                    Optional.ofNullable(resolvConf), binds, user, capabilities, limits, noNewPrivileges);
        }
    }
}
