package dev.jetpack.engine.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Resolves a path inside a rootfs the way the kernel would after a chroot: symbolic links are followed, but
 * absolute targets start at the rootfs and {@code ..} never climbs above it. Runtimes bind files at such paths;
 * resolving them ourselves means a hostile or merely unusual image (an {@code /etc/resolv.conf} symlink, as
 * systemd-resolved images have) can never make a mount or a created mount point land outside the rootfs.
 */
public final class ContainedPaths {
    private static final int MAX_LINKS = 40;

    private ContainedPaths() {
    }

    /**
     * The symlink-free absolute container path that {@code containerPath} leads to. Missing components are
     * kept as they are (they will be created).
     */
    public static String resolve(Path rootfs, String containerPath) throws IOException {
        Deque<String> pending = new ArrayDeque<>();
        pushComponents(pending, containerPath);
        Deque<String> resolved = new ArrayDeque<>();
        int links = 0;
        while (!pending.isEmpty()) {
            String name = pending.pop();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (!resolved.isEmpty()) {
                    resolved.removeLast();
                }
                continue;
            }
            Path host = hostPath(rootfs, join(resolved) + "/" + name);
            if (Files.isSymbolicLink(host)) {
                if (++links > MAX_LINKS) {
                    throw new IOException("too many symbolic links resolving " + containerPath + " in " + rootfs);
                }
                String target = Files.readSymbolicLink(host).toString();
                if (target.startsWith("/")) {
                    resolved.clear();
                }
                pushComponents(pending, target);
            } else {
                resolved.addLast(name);
            }
        }
        return join(resolved);
    }

    /** The host path of an already resolved (symlink-free) container path. */
    public static Path hostPath(Path rootfs, String resolvedContainerPath) {
        String relative = resolvedContainerPath.replaceAll("^/+", "");
        return relative.isEmpty() ? rootfs : rootfs.resolve(relative);
    }

    static boolean exists(Path rootfs, String resolvedContainerPath) {
        return Files.exists(hostPath(rootfs, resolvedContainerPath), LinkOption.NOFOLLOW_LINKS);
    }

    private static void pushComponents(Deque<String> pending, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            pending.push(parts[i]);
        }
    }

    private static String join(Deque<String> components) {
        return components.isEmpty() ? "/" : "/" + String.join("/", components);
    }
}
