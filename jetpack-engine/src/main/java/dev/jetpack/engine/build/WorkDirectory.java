package dev.jetpack.engine.build;

import dev.jetpack.engine.io.TreeCopier;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The build's work directory inside the container root (seed step 2): named {@code .jetpack.build.} unless the
 * parent image already has that path, then {@code .jetpack.build.<uuid>}; mode 0700 because the build
 * directory may hold secrets; filled with the build directory's contents and the extra files.
 */
final class WorkDirectory {
    static final String PREFERRED_NAME = ".jetpack.build.";
    static final String MANIFEST_NAME = "manifest.json";

    private final Path hostPath;
    private final String name;

    private WorkDirectory(Path hostPath, String name) {
        this.hostPath = hostPath;
        this.name = name;
    }

    /**
     * Creates the work directory in {@code containerRoot}, choosing a name the parent does not use.
     *
     * @param parentRootfs the parent's tree, to see which names the image itself owns
     */
    static WorkDirectory create(Path containerRoot, Path parentRootfs) throws IOException {
        String name = PREFERRED_NAME;
        while (Files.exists(parentRootfs.resolve(name), LinkOption.NOFOLLOW_LINKS)
                || Files.exists(containerRoot.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
            name = PREFERRED_NAME + UUID.randomUUID();
        }
        Path path = containerRoot.resolve(name);
        Files.createDirectory(path);
        // Set after creation: the process umask must not decide who can read the build inputs.
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
        return new WorkDirectory(path, name);
    }

    /**
     * The work directory's name for a build in stages, which must be the same in every stage and every build
     * on the same parent (it is part of the stages' trees): {@value #PREFERRED_NAME} unless the parent has
     * that path, else that name followed by a part of the parent's ID.
     */
    static String stageName(Path parentRootfs, String parentId) {
        if (!Files.exists(parentRootfs.resolve(PREFERRED_NAME), LinkOption.NOFOLLOW_LINKS)) {
            return PREFERRED_NAME;
        }
        String hex = parentId.substring(parentId.indexOf('-') + 1);
        for (int length = 16; length <= hex.length(); length += 16) {
            String name = PREFERRED_NAME + hex.substring(0, length);
            if (!Files.exists(parentRootfs.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                return name;
            }
        }
        throw new BuildException("The parent image has every work directory name a build in stages could use ("
                + PREFERRED_NAME + "...); build it without the stage cache.");
    }

    /** The work directory {@code name} in {@code containerRoot}, as an earlier stage left it, or new (0700). */
    static WorkDirectory openForStage(Path containerRoot, String name) throws IOException {
        Path path = containerRoot.resolve(name);
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(path);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
        }
        return new WorkDirectory(path, name);
    }

    /** Where the work directory is on the host (inside the container's root). */
    Path hostPath() {
        return hostPath;
    }

    /** The work directory as the build command sees it, e.g. {@code /.jetpack.build.}. */
    String containerPath() {
        return "/" + name;
    }

    /** The work directory relative to the container root. */
    String name() {
        return name;
    }

    Path manifest() {
        return hostPath.resolve(MANIFEST_NAME);
    }

    /**
     * The build's inputs by the name each gets in the work directory: the build directory's entries, then each
     * extra file or directory under its own name. Checked before any container exists: a missing input, or two
     * inputs with the same name (silently letting one win would hide a mistake in the build definition), are
     * refused.
     */
    static Map<String, Path> inputs(Optional<Path> buildDirectory, List<Path> extraFiles) throws IOException {
        Map<String, Path> sources = new LinkedHashMap<>();
        if (buildDirectory.isPresent()) {
            Path dir = buildDirectory.get();
            if (!Files.isDirectory(dir)) {
                throw new BuildException("Build directory " + dir + " is not a directory: the build directory's"
                        + " contents are copied into the container. Give an existing directory.");
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path entry : entries) {
                    sources.put(entry.getFileName().toString(), entry.toAbsolutePath().normalize());
                }
            }
        }
        for (Path extra : extraFiles) {
            if (!Files.exists(extra, LinkOption.NOFOLLOW_LINKS)) {
                throw new BuildException("The file to copy " + extra + " does not exist: each file or directory"
                        + " to copy goes into the build's work directory. Fix the path.");
            }
            // cp names the copy after the last component of the path it is given: give it the normalised one.
            Path normalized = extra.toAbsolutePath().normalize();
            Path fileName = normalized.getFileName();
            if (fileName == null) {
                throw new BuildException("The file to copy " + extra + " has no name to copy it under; give a"
                        + " file or directory below '/'.");
            }
            Path clash = sources.putIfAbsent(fileName.toString(), normalized);
            if (clash != null) {
                throw new BuildException("Two build inputs are both named '" + fileName + "' in the work"
                        + " directory: " + clash + " and the file to copy " + extra + ". Each name in the work directory"
                        + " must come from one source; rename one of them or drop the duplicate.");
            }
        }
        return sources;
    }

    /** Copies {@link #inputs} into the work directory, keeping modes, owners, times and links. */
    void copy(Map<String, Path> sources) throws IOException {
        // As the build container itself is made: modes with setuid/setgid/sticky, owners, times, hard links,
        // devices and xattrs kept; links copied, never followed.
        TreeCopier.copyInto(sources.values(), hostPath);
    }
}
