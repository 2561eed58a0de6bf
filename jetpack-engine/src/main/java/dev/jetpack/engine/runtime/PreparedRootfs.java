package dev.jetpack.engine.runtime;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rootfs made ready for one run: every mount point a runtime needs exists (created here if the image lacks
 * it, so that the runtime never creates anything we do not know about) and every bind destination is resolved
 * to a symlink-free path inside the rootfs.
 *
 * <p>After the run, {@link #removeCreated()} deletes the created mount points that are still empty, deepest
 * first. What the runtime created and the command then filled stays: it is the image's content now.
 */
final class PreparedRootfs {
    /** Directories every runtime mounts something on. */
    static final List<String> STANDARD_MOUNT_POINTS = List.of("/proc", "/dev", "/sys");

    /** A bind mount with its destination resolved inside the rootfs. */
    record ResolvedBind(Path source, String destination, boolean directory, boolean readOnly) {
    }

    private final Path rootfs;
    private final String workingDirectory;
    private final Path workingDirectoryOnHost;
    private final List<ResolvedBind> binds;
    private final List<String> created;
    private final Map<Path, FileTime[]> parentTimes;
    private List<String> kept;

    private PreparedRootfs(Path rootfs, String workingDirectory, List<ResolvedBind> binds, List<String> created,
                           Map<Path, FileTime[]> parentTimes) {
        this.rootfs = rootfs;
        this.parentTimes = parentTimes;
        this.workingDirectory = workingDirectory;
        this.workingDirectoryOnHost = ContainedPaths.hostPath(rootfs, workingDirectory);
        this.binds = binds;
        this.created = created;
    }

    /** Checks the spec against the rootfs and creates the missing mount points. */
    static PreparedRootfs prepare(ContainerSpec spec) {
        Path rootfs = spec.rootfs();
        if (!Files.isDirectory(rootfs, LinkOption.NOFOLLOW_LINKS)) {
            throw new ContainerException("rootfs " + rootfs + " is not a directory: a container needs an existing"
                    + " root directory; create or unpack it first");
        }
        List<String> created = new ArrayList<>();
        // Directory mtimes before and after we created mount points in them, so that removing the mount points
        // also restores the mtime: the image's tree must come out exactly as it went in.
        Map<Path, FileTime[]> parentTimes = new LinkedHashMap<>();
        try {
            String cwd = ContainedPaths.resolve(rootfs, spec.workingDirectory());
            if (!Files.isDirectory(ContainedPaths.hostPath(rootfs, cwd), LinkOption.NOFOLLOW_LINKS)) {
                throw new ContainerException("working directory " + spec.workingDirectory() + " does not exist in"
                        + " rootfs " + rootfs + ": it must be a directory in the image; create it before the run");
            }
            for (String point : STANDARD_MOUNT_POINTS) {
                String resolved = ContainedPaths.resolve(rootfs, point);
                createMountPoint(rootfs, resolved, true, created, parentTimes);
            }
            List<ResolvedBind> binds = new ArrayList<>();
            if (spec.resolvConf().isPresent()) {
                Path source = spec.resolvConf().get();
                if (!Files.isRegularFile(source)) {
                    throw new ContainerException("resolv.conf " + source + " is not a regular file on the host: pass"
                            + " an existing file (usually /etc/resolv.conf) or none");
                }
                binds.add(resolveBind(rootfs, source, "/etc/resolv.conf", true, created, parentTimes));
            }
            for (ContainerSpec.Bind bind : spec.binds()) {
                if (!Files.exists(bind.source())) {
                    throw new ContainerException("bind source " + bind.source() + " does not exist on the host");
                }
                binds.add(resolveBind(rootfs, bind.source(), bind.destination(), bind.readOnly(), created,
                        parentTimes));
            }
            for (Map.Entry<Path, FileTime[]> entry : parentTimes.entrySet()) {
                entry.getValue()[1] = Files.getLastModifiedTime(entry.getKey(), LinkOption.NOFOLLOW_LINKS);
            }
            return new PreparedRootfs(rootfs, cwd, List.copyOf(binds), created, parentTimes);
        } catch (IOException | RuntimeException e) {
            new PreparedRootfs(rootfs, "/", List.of(), created, Map.of()).removeCreated();
            if (e instanceof ContainerException ce) {
                throw ce;
            }
            throw new ContainerException("cannot prepare mount points in rootfs " + rootfs + ": " + e.getMessage(), e);
        }
    }

    private static ResolvedBind resolveBind(Path rootfs, Path source, String destination, boolean readOnly,
                                            List<String> created, Map<Path, FileTime[]> parentTimes)
            throws IOException {
        boolean directory = Files.isDirectory(source);
        String resolved = ContainedPaths.resolve(rootfs, destination);
        if (resolved.equals("/")) {
            throw new ContainerException("cannot bind " + source + " over the container's root directory");
        }
        createMountPoint(rootfs, resolved, directory, created, parentTimes);
        return new ResolvedBind(source, resolved, directory, readOnly);
    }

    /* Creates the missing components of an already resolved path: directories, and a file as the last one. */
    private static void createMountPoint(Path rootfs, String resolved, boolean directory, List<String> created,
                                         Map<Path, FileTime[]> parentTimes) throws IOException {
        Path host = ContainedPaths.hostPath(rootfs, resolved);
        if (Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
            if (directory != Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
                throw new ContainerException(resolved + " in rootfs " + rootfs + " is " + (directory ? "not a directory"
                        : "a directory") + ", so nothing can be mounted on it: the image must have "
                        + (directory ? "a directory" : "a file") + " there (or nothing)");
            }
            return;
        }
        Path relative = rootfs.relativize(host);
        Path current = rootfs;
        for (int i = 0; i < relative.getNameCount(); i++) {
            current = current.resolve(relative.getName(i));
            if (Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Path parent = current.getParent();
            if (!parentTimes.containsKey(parent) && created.stream().noneMatch(c -> rootfs.resolve(c).equals(parent))) {
                parentTimes.put(parent, new FileTime[] {Files.getLastModifiedTime(parent, LinkOption.NOFOLLOW_LINKS), null});
            }
            boolean last = i == relative.getNameCount() - 1;
            if (last && !directory) {
                Files.createFile(current, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
            } else {
                Files.createDirectory(current, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
                // createDirectory is subject to the umask; mount points must be world-readable.
                Files.setPosixFilePermissions(current, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            created.add(rootfs.relativize(current).toString());
        }
    }

    Path rootfs() {
        return rootfs;
    }

    /** The symlink-free absolute working directory inside the container. */
    String workingDirectory() {
        return workingDirectory;
    }

    List<ResolvedBind> binds() {
        return binds;
    }

    List<String> createdPaths() {
        return List.copyOf(created);
    }

    /** Created paths the command filled; known after {@link #removeCreated()}. */
    List<String> keptPaths() {
        return kept == null ? List.of() : List.copyOf(kept);
    }

    /**
     * Deletes the created mount points that are still empty (an empty directory, or an empty file for a file
     * bind), deepest first; idempotent. A mount point can be busy for a moment after the container's last
     * process died while the kernel tears its mount namespace down, hence the short retry.
     */
    synchronized void removeCreated() {
        if (kept != null) {
            return;
        }
        // Cleanup must complete even on an interrupted thread; the interrupt is restored afterwards.
        boolean interrupted = Thread.interrupted();
        Map<Path, FileTime> beforeRemoval = new LinkedHashMap<>();
        for (Path parent : parentTimes.keySet()) {
            try {
                beforeRemoval.put(parent, Files.getLastModifiedTime(parent, LinkOption.NOFOLLOW_LINKS));
            } catch (IOException e) {
                // the command removed it; nothing to restore
            }
        }
        List<String> stillThere = new ArrayList<>();
        List<String> reversed = new ArrayList<>(created);
        Collections.reverse(reversed);
        for (String relative : reversed) {
            Path path = rootfs.resolve(relative);
            if (!removeIfEmpty(path)) {
                stillThere.add(relative);
            }
        }
        Collections.reverse(stillThere);
        kept = stillThere;
        restoreParentTimes(beforeRemoval);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /* Only where the command did not touch the directory itself and all our entries in it are gone again. */
    private void restoreParentTimes(Map<Path, FileTime> beforeRemoval) {
        for (Map.Entry<Path, FileTime[]> entry : parentTimes.entrySet()) {
            Path parent = entry.getKey();
            boolean ownEntriesGone = kept.stream().noneMatch(k -> rootfs.resolve(k).getParent().equals(parent));
            if (ownEntriesGone && entry.getValue()[1] != null && entry.getValue()[1].equals(beforeRemoval.get(parent))) {
                try {
                    Files.setLastModifiedTime(parent, entry.getValue()[0]);
                } catch (IOException e) {
                    // a wrong mtime is cosmetic; the content is right
                }
            }
        }
    }

    private static boolean removeIfEmpty(Path path) {
        for (int attempt = 0; ; attempt++) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (attributes.isRegularFile() && attributes.size() > 0
                        || !attributes.isRegularFile() && !attributes.isDirectory()) {
                    return false;
                }
                Files.delete(path);
                return true;
            } catch (java.nio.file.NoSuchFileException e) {
                return true;
            } catch (DirectoryNotEmptyException e) {
                return false;
            } catch (FileSystemException e) {
                if (attempt >= 50) {
                    return false;
                }
                sleepBriefly();
            } catch (IOException e) {
                return false;
            }
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            // Only reached if someone interrupts the cleanup itself; give up waiting, keep the flag.
            Thread.currentThread().interrupt();
        }
    }
}
