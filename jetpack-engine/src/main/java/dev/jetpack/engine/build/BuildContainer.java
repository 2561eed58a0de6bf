package dev.jetpack.engine.build;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.aci.TarEntry;
import dev.jetpack.engine.io.AtomicFiles;
import dev.jetpack.engine.io.ExtendedAttributes;
import dev.jetpack.engine.io.FileTrees;
import dev.jetpack.engine.io.Mounts;
import dev.jetpack.engine.io.ProcessStamp;
import dev.jetpack.engine.io.ShutdownCleanup;
import dev.jetpack.engine.io.TreeCopier;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The root a build command runs in: the parent's rootfs under a writable layer.
 *
 * <p><b>Overlay</b> (preferred): {@code mount -t overlay} with the parent's rootfs as lower dir, so creating a
 * container costs the same for any parent size and the build's changes collect in {@link #upperDir()} (read
 * them with {@link OverlayChanges}). It is mounted with {@code userxattr}: overlayfs then marks opaque
 * directories with {@code user.overlay.opaque}, which Java can read, instead of {@code trusted.overlay.opaque},
 * which it cannot (and {@code getfattr} is not installed by default). {@code userxattr} needs Linux 5.11; where
 * the probe finds it (or overlayfs) missing, the container falls back to a copy.
 *
 * <p><b>Copy</b>: {@code cp -a} of the parent's rootfs (owners, modes, times, hard and symbolic links, devices
 * and extended attributes preserved). {@link #upperDir()} is not available then.
 *
 * <p>Layout: {@code CONTAINERS/ID/} holds {@code owner} (the creating JVM's {@link ProcessStamp}),
 * {@code root/} (the mount point or the copy), and for an overlay {@code upper/} and {@code work/}.
 * {@link #close()} unmounts and deletes it all, and a shutdown hook does the same on SIGINT/SIGTERM;
 * {@link #cleanStale} removes what a crashed JVM left. The root directory takes the parent root's owner and
 * mode (overlayfs shows the upper dir's).
 */
public final class BuildContainer implements AutoCloseable {
    /** How the writable root is made. */
    public enum Mode {
        /** Overlay where the probe says it works, else copy. */
        AUTO,
        /** Overlay or fail. */
        OVERLAY,
        /** Always copy (what hosts without overlayfs get; for tests of that path). */
        COPY
    }

    static final String OWNER_FILE = "owner";
    /** Mount options travel in one page; stay below 4096 with room for the upper and work dirs. */
    static final int MAX_LOWER_OPTION = 3000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<Path, OverlayProbe> OVERLAY_PROBES = new ConcurrentHashMap<>();

    /**
     * What the probe of a containers directory found: why overlayfs cannot be used there, if it cannot, and
     * whether the upper layer can be {@code volatile} (Linux 5.10). Without it, every unmount of a container
     * syncs the whole file system that holds the store (overlayfs' sync_fs), writing out the image just built
     * and everything else dirty: 50 ms per 100 MB here, three unmounts per build. A container's upper dir is
     * either thrown away or kept in the stage cache, which never fsyncs either (as nothing in the store does),
     * so nothing that was durable before is less durable now.
     */
    private record OverlayProbe(Optional<String> problem, boolean volatileUpper) {
        String options() {
            return options(volatileUpper);
        }

        static String options(boolean volatileUpper) {
            return volatileUpper ? ",userxattr,volatile" : ",userxattr";
        }
    }

    private final Path directory;
    private final Path lower;
    /** The overlay's lower dirs, topmost first (the parent's rootfs alone, or the cached stages); empty for a copy. */
    private final List<Path> lowers;
    private final Path root;
    private final Path upper;
    private final Optional<String> fallbackReason;
    private final boolean stacked;
    private final ShutdownCleanup.Registration shutdownRegistration;
    private boolean closed;

    private BuildContainer(Path directory, Path lower, Path root, Path upper, Optional<String> fallbackReason) {
        this(directory, lower, upper == null ? List.of() : List.of(lower), root, upper, fallbackReason, false);
    }

    private BuildContainer(Path directory, Path lower, List<Path> lowers, Path root, Path upper,
                           Optional<String> fallbackReason, boolean stacked) {
        this.stacked = stacked;
        this.directory = directory;
        this.lowers = lowers;
        this.lower = lower;
        this.root = root;
        this.upper = upper;
        this.fallbackReason = fallbackReason;
        this.shutdownRegistration = ShutdownCleanup.register(ShutdownCleanup.Stage.MOUNTS, this::removeQuietly);
    }

    /** An overlay container if overlayfs works here, else a copy. */
    public static BuildContainer create(Path lowerRootfs, Path containersDir) {
        return create(lowerRootfs, containersDir, Mode.AUTO);
    }

    /**
     * Creates a container over {@code lowerRootfs} in a new directory under {@code containersDir}.
     *
     * @throws BuildContainerException if the lower rootfs is not a directory, the mount or copy fails, or
     *                                 {@link Mode#OVERLAY} was asked for where overlayfs does not work
     */
    public static BuildContainer create(Path lowerRootfs, Path containersDir, Mode mode) {
        return create(lowerRootfs, containersDir, mode, "build");
    }

    /**
     * {@link #create(Path, Path, Mode)} in a directory named {@code NAME-RANDOM}, so that a user can tell whose
     * container it is (e.g. the app name of a {@code jetpack run}).
     */
    public static BuildContainer create(Path lowerRootfs, Path containersDir, Mode mode, String name) {
        Path lower = lowerRootfs.toAbsolutePath().normalize();
        if (!Files.isDirectory(lower, LinkOption.NOFOLLOW_LINKS)) {
            throw new BuildContainerException("parent rootfs " + lower + " is not a directory: a build container"
                    + " needs the parent image rendered in the store first");
        }
        Path containers = containersDir.toAbsolutePath().normalize();
        Optional<String> overlayProblem = Optional.empty();
        if (mode != Mode.COPY) {
            overlayProblem = overlayUnavailableReason(containers, lower);
            if (overlayProblem.isPresent() && mode == Mode.OVERLAY) {
                throw new BuildContainerException("cannot create an overlay build container in " + containers + ": "
                        + overlayProblem.get() + "; use the copy mode");
            }
        }
        boolean overlay = mode != Mode.COPY && overlayProblem.isEmpty();
        Optional<String> fallback = mode == Mode.COPY ? Optional.of("copy mode requested") : overlayProblem;
        Path directory = newContainerDirectory(containers, name);
        Path root = directory.resolve("root");
        Path upper = overlay ? directory.resolve("upper") : null;
        BuildContainer container = new BuildContainer(directory, lower, root, upper, fallback);
        try {
            if (overlay) {
                Files.createDirectory(upper);
                Files.createDirectory(directory.resolve("work"));
                Files.createDirectory(root);
                copyRootAttributes(lower, upper);
                mountOverlay(containers, lower.toString(), upper, directory.resolve("work"), root);
            } else {
                TreeCopier.copy(lower, root); // root itself gets the lower root's owner, mode and times too
            }
            return container;
        } catch (IOException | RuntimeException e) {
            container.removeQuietly();
            throw new BuildContainerException("cannot create a build container for " + lower + " in " + containers
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * An overlay container over a stack of layers: {@code layers} top first, the parent's rootfs last (cached
     * stages above it). Whiteouts and opaque directories in the upper layers hide what lies below them, as
     * they did in the container that made them: all our containers mount with {@code userxattr}.
     *
     * @throws BuildContainerException where overlayfs does not work, or the stack is too deep for one mount
     */
    public static BuildContainer createStacked(List<Path> layers, Path containersDir) {
        if (layers.size() == 1) {
            return create(layers.get(0), containersDir, Mode.OVERLAY);
        }
        List<Path> lowers = layers.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        Path bottom = lowers.get(lowers.size() - 1);
        Path containers = containersDir.toAbsolutePath().normalize();
        for (Path lower : lowers) {
            overlayUnavailableReason(containers, lower).ifPresent(problem -> {
                throw new BuildContainerException("cannot stack cached stages in an overlay in " + containers
                        + ": " + problem + "; build without the stage cache");
            });
        }
        String lowerOption = String.join(":", lowers.stream().map(Path::toString).toList());
        if (lowerOption.length() > MAX_LOWER_OPTION) {
            throw new BuildContainerException("cannot stack " + lowers.size() + " layers in one overlay mount:"
                    + " their paths take " + lowerOption.length() + " characters, more than the " + MAX_LOWER_OPTION
                    + " a mount's options may hold; join some build steps into one, or move the store to a"
                    + " shorter path");
        }
        Path directory = newContainerDirectory(containers, "build");
        Path root = directory.resolve("root");
        Path upper = directory.resolve("upper");
        BuildContainer container = new BuildContainer(directory, bottom, lowers, root, upper, Optional.empty(), true);
        try {
            Files.createDirectory(upper);
            Files.createDirectory(directory.resolve("work"));
            Files.createDirectory(root);
            copyRootAttributes(bottom, upper);
            mountOverlay(containers, lowerOption, upper, directory.resolve("work"), root);
            return container;
        } catch (IOException | RuntimeException e) {
            container.removeQuietly();
            throw new BuildContainerException("cannot create a build container over " + lowers + " in "
                    + containers + ": " + e.getMessage(), e);
        }
    }

    /**
     * Unmounts the overlay and hands over its upper directory, for the caller to move away (into the stage
     * cache); the container is closed afterwards as usual, which deletes whatever is left.
     */
    public synchronized Path unmountAndTakeUpper() throws IOException {
        Path upperDir = upperDir();
        Mounts.unmount(root);
        return upperDir;
    }

    /** The directory to run the build in. */
    public Path root() {
        return root;
    }

    /**
     * For a path below {@link #root()} that exists there, the file that holds its data on a file system of its
     * own: the topmost overlay layer that has the path, since neither metacopy nor redirect_dir is on
     * ({@code userxattr}), so a layer that has a regular file has all of its data; for a copy, the copy's own
     * file. What the store links instead of unpacking the image again. One lookup per walk of the tree
     * ({@link BackingFiles} keeps the listings of the directory being walked).
     */
    public Function<String, Path> backingFiles() {
        if (upper == null) {
            return root::resolve;
        }
        List<Path> layers = new ArrayList<>();
        layers.add(upper);
        layers.addAll(lowers);
        return new BackingFiles(layers, root);
    }

    /** The overlay's upper directory: everything the build changed. */
    public Path upperDir() {
        if (upper == null) {
            throw new IllegalStateException("build container " + directory + " is a copy, not an overlay: it has no"
                    + " upper directory (check isOverlay() first)");
        }
        return upper;
    }

    /** The parent's rootfs this container starts from (never written to). */
    public Path lowerDir() {
        return lower;
    }

    public boolean isOverlay() {
        return upper != null;
    }

    /** True for an overlay over cached stages: its upper dir holds only the last stage's changes. */
    public boolean isStacked() {
        return stacked;
    }

    /** Why this container is a copy rather than an overlay; empty for an overlay. */
    public Optional<String> fallbackReason() {
        return fallbackReason;
    }

    /** The container's own directory under the containers dir. */
    public Path directory() {
        return directory;
    }

    /**
     * Unmounts (lazily if busy) and deletes the container; idempotent.
     *
     * @throws BuildContainerException if a mount cannot be removed (then nothing below it was deleted)
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            remove(directory);
            closed = true;
            shutdownRegistration.close();
        } catch (IOException e) {
            throw new BuildContainerException("cannot remove build container " + directory + ": " + e.getMessage()
                    + "; unmount it by hand (umount -l) and delete the directory", e);
        }
    }

    private void removeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            // on shutdown, or while already failing: the next cleanStale() finishes the job
        }
    }

    /**
     * Removes the containers under {@code containersDir} whose creating process is gone (a crashed or killed
     * build): unmounts what is still mounted in them and deletes them. Containers of live processes, including
     * this JVM's, are left alone.
     *
     * @return the container directories removed
     */
    public static List<Path> cleanStale(Path containersDir, EngineLog log) {
        return cleanStale(containersDir, "build container", log);
    }

    /**
     * {@link #cleanStale(Path, EngineLog)} of containers that serve another purpose, named {@code kind} in the
     * log (e.g. "app container" for {@code jetpack run}).
     */
    public static List<Path> cleanStale(Path containersDir, String kind, EngineLog log) {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(containersDir)) {
            return removed;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(containersDir)) {
            for (Path entry : entries) {
                if (!Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS) || ownerAlive(entry)) {
                    continue;
                }
                try {
                    remove(entry);
                    removed.add(entry);
                    log.info("Removed the stale " + kind + " " + entry + " (the process that made it is gone)");
                } catch (IOException e) {
                    log.warn("Cannot remove the stale " + kind + " " + entry + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            log.warn("Cannot look for stale " + kind + "s in " + containersDir + ": " + e.getMessage());
        }
        return removed;
    }

    /**
     * Why an overlay cannot be used for containers under {@code containersDir} on this host, or empty. Probed
     * once per directory and JVM by mounting a tiny overlay with {@code userxattr} and checking that an opaque
     * directory is marked so that Java can read it.
     */
    public static Optional<String> overlayUnavailableReason(Path containersDir) {
        return overlayUnavailableReason(containersDir.toAbsolutePath().normalize(), null);
    }

    private static Optional<String> overlayUnavailableReason(Path containers, Path lower) {
        if (lower != null) {
            for (String forbidden : List.of(",", ":", "\\")) {
                if (lower.toString().contains(forbidden) || containers.toString().contains(forbidden)) {
                    return Optional.of("path " + lower + " or " + containers + " contains '" + forbidden
                            + "', which overlay mount options cannot express");
                }
            }
        }
        return probe(containers).problem();
    }

    private static OverlayProbe probe(Path containers) {
        return OVERLAY_PROBES.computeIfAbsent(containers, BuildContainer::probeOverlay);
    }

    private static OverlayProbe probeOverlay(Path containers) {
        Path probe = null;
        try {
            Files.createDirectories(containers);
            probe = Files.createTempDirectory(containers, ".overlay-probe-");
            Path lower = Files.createDirectories(probe.resolve("lower/dir"));
            Files.writeString(lower.resolve("file"), "lower");
            Path upper = Files.createDirectory(probe.resolve("upper"));
            Path work = Files.createDirectory(probe.resolve("work"));
            Path merged = Files.createDirectory(probe.resolve("merged"));
            String layers = "lowerdir=" + probe.resolve("lower") + ",upperdir=" + upper + ",workdir=" + work;
            boolean volatileUpper = true;
            try {
                Mounts.mountOverlay(layers + OverlayProbe.options(true), merged);
            } catch (IOException e) {
                volatileUpper = false; // a kernel before 5.10: the same without volatile
                try {
                    Mounts.mountOverlay(layers + OverlayProbe.options(false), merged);
                } catch (IOException without) {
                    return unavailable("overlayfs with userxattr does not work here (" + without.getMessage() + ")");
                }
            }
            try {
                FileTrees.deleteRecursively(merged.resolve("dir"));
                Files.createDirectory(merged.resolve("dir"));
                if (!OverlayChanges.isOpaque(upper.resolve("dir"))) {
                    return unavailable("overlayfs does not mark opaque directories with user.overlay.opaque here");
                }
            } finally {
                Mounts.unmount(merged);
            }
            return new OverlayProbe(Optional.empty(), volatileUpper);
        } catch (IOException | RuntimeException e) {
            return unavailable("overlay probe in " + containers + " failed: " + e.getMessage());
        } finally {
            if (probe != null) {
                try {
                    remove(probe);
                } catch (IOException e) {
                    // cleanStale removes it later: it has no owner file
                }
            }
        }
    }

    private static OverlayProbe unavailable(String problem) {
        return new OverlayProbe(Optional.of(problem), false);
    }

    /** @param lowers the lowerdir option's value: one directory, or several joined by ':' (top first) */
    private static void mountOverlay(Path containers, String lowers, Path upper, Path work, Path target)
            throws IOException {
        Mounts.mountOverlay("lowerdir=" + lowers + ",upperdir=" + upper + ",workdir=" + work
                + probe(containers).options(), target);
    }

    /* Unique directory whose owner file exists before anything is mounted in it, so cleanStale always knows
       whose it is. */
    private static Path newContainerDirectory(Path containers, String name) {
        try {
            Files.createDirectories(containers);
            for (int attempt = 0; ; attempt++) {
                byte[] random = new byte[6];
                RANDOM.nextBytes(random);
                Path directory = containers.resolve(name + "-" + HexFormat.of().formatHex(random));
                try {
                    Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    if (attempt > 10) {
                        throw e;
                    }
                    continue;
                }
                // Whole or not at all: a sweep in another build that read the file while it was still empty
                // would take the container for a dead JVM's and delete it under this build.
                AtomicFiles.write(directory.resolve(OWNER_FILE),
                        ownerLine(ProcessHandle.current()).getBytes(StandardCharsets.UTF_8));
                return directory;
            }
        } catch (IOException e) {
            throw new BuildContainerException("cannot create a build container directory in " + containers + ": "
                    + e.getMessage() + "; check that it is writable", e);
        }
    }

    static String ownerLine(ProcessHandle process) {
        return ProcessStamp.of(process) + "\n";
    }

    /* Alive as ProcessStamp decides it. A directory without a readable owner file (or with an empty one, as an
       earlier version could leave while writing it) is being created right now only if it is very young. */
    private static boolean ownerAlive(Path container) {
        String line;
        try {
            line = Files.readString(container.resolve(OWNER_FILE), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            line = "";
        }
        if (line.isEmpty()) {
            try {
                long age = System.currentTimeMillis() - Files.getLastModifiedTime(container).toMillis();
                return age < 60_000;
            } catch (IOException gone) {
                return true; // vanished meanwhile: nothing to clean
            }
        }
        // Earlier versions wrote "PID STARTMILLIS": read that as the stamp it is.
        Optional<ProcessStamp> owner = ProcessStamp.find(line.replace(' ', '.'));
        return owner.isPresent() && owner.get().isAlive();
    }

    /* Unmount first, and only delete when nothing is mounted below any more: deleting through a live mount
       would reach into whatever is mounted there. */
    private static void remove(Path directory) throws IOException {
        Mounts.unmountAllUnder(directory);
        FileTrees.deleteRecursively(directory);
    }

    /**
     * The overlay shows the upper dir's own root, never a copy-up of the lower one: give it the lower root's
     * owner, mode, extended attributes (an ACL or label on {@code /}; overlayfs' own excepted) and time.
     */
    private static void copyRootAttributes(Path from, Path to) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(from, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        PosixFileAttributeView view = Files.getFileAttributeView(to, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        view.setOwner(attributes.owner());
        view.setGroup(attributes.group());
        view.setPermissions(attributes.permissions());
        for (Map.Entry<String, byte[]> xattr : ExtendedAttributes.readAll(from).entrySet()) {
            if (!TarEntry.isOverlayAttribute(xattr.getKey())) {
                ExtendedAttributes.set(to, xattr.getKey(), xattr.getValue());
            }
        }
        view.setTimes(attributes.lastModifiedTime(), null, null);
    }
}
