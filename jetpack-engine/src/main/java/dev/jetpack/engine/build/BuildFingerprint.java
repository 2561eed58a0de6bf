package dev.jetpack.engine.build;

import dev.jetpack.engine.io.AtomicFiles;
import dev.jetpack.engine.io.FileModes;
import dev.jetpack.engine.io.FileStatus;
import dev.jetpack.engine.io.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A fingerprint of everything that decides what a build produces, so that a build whose inputs did not change
 * can reuse its previous output (a no-op rebuild) instead of running the command and compressing again.
 *
 * <p>It is a list of named components, each a SHA-256: configuration values (hashed, so that a value such as a
 * proxy password never lands in the fingerprint file in clear), and file trees, hashed from their
 * <em>metadata</em> (relative path, type, size, modification time in nanoseconds, mode, owner and group IDs,
 * link target)
 * rather than their contents. Metadata is what the image records besides the bytes, and an edited file gets a
 * new time; reading attributes costs a few microseconds per entry, so thousands of files take milliseconds
 * where hashing their contents would take seconds. The root of a tree contributes only its contents, because
 * staging a build directory afresh gives the root a new time on every build.
 *
 * <p>Comparing two fingerprints names the components that differ, so the log can say why a build runs again.
 */
public final class BuildFingerprint {
    /** Version 2: owners as numbers and the whole mode (setuid, setgid, sticky), see {@link EntryAttributes}. */
    private static final String FORMAT = "jetpack-build-fingerprint 2";

    private final Map<String, String> components;

    private BuildFingerprint(Map<String, String> components) {
        this.components = Collections.unmodifiableMap(new LinkedHashMap<>(components));
    }

    /** Starts an empty fingerprint. */
    public static Builder builder() {
        return new Builder();
    }

    /** Component name to its hex SHA-256, in the order they were added. */
    public Map<String, String> components() {
        return components;
    }

    /**
     * The names of the components that differ from {@code previous} (changed, added or gone), in this
     * fingerprint's order; empty when the two are equal.
     */
    public List<String> differencesFrom(BuildFingerprint previous) {
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, String> component : components.entrySet()) {
            if (!component.getValue().equals(previous.components.get(component.getKey()))) {
                changed.add(component.getKey());
            }
        }
        for (String name : previous.components.keySet()) {
            if (!components.containsKey(name)) {
                changed.add(name);
            }
        }
        return changed;
    }

    /** Writes the fingerprint to {@code file} atomically: one {@code name hash} line per component. */
    public void write(Path file) throws IOException {
        StringBuilder text = new StringBuilder(FORMAT).append('\n');
        components.forEach((name, hash) -> text.append(hash).append(' ').append(name).append('\n'));
        AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a fingerprint written by {@link #write}; empty when the file is missing or not a fingerprint (an
     * unreadable record only costs a rebuild).
     */
    public static Optional<BuildFingerprint> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (lines.isEmpty() || !lines.get(0).equals(FORMAT)) {
            return Optional.empty();
        }
        Map<String, String> components = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            int space = line.indexOf(' ');
            if (space != 64) {
                return Optional.empty();
            }
            components.put(line.substring(space + 1), line.substring(0, space));
        }
        return Optional.of(new BuildFingerprint(components));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BuildFingerprint that && components.equals(that.components);
    }

    @Override
    public int hashCode() {
        return components.hashCode();
    }

    @Override
    public String toString() {
        return "BuildFingerprint" + components.keySet();
    }

    /** Collects the components. Names must be unique and must not contain line breaks. */
    public static final class Builder {
        private final Map<String, String> components = new LinkedHashMap<>();

        private Builder() {
        }

        /** Takes over every component of {@code other} (e.g. the inputs, before the outputs are added). */
        public Builder include(BuildFingerprint other) {
            other.components.forEach((name, hash) -> {
                if (components.putIfAbsent(name, hash) != null) {
                    throw new IllegalArgumentException("Fingerprint component " + name + " added twice");
                }
            });
            return this;
        }

        /** A configuration value (null counts as absent, which differs from empty). */
        public Builder value(String name, String value) {
            MessageDigest digest = sha256();
            digest.update(value == null ? new byte[] {0} : ("=" + value).getBytes(StandardCharsets.UTF_8));
            return put(name, digest);
        }

        /** A list of configuration values, order and boundaries included. */
        public Builder values(String name, List<String> values) {
            MessageDigest digest = sha256();
            for (String value : values) {
                byte[] bytes = String.valueOf(value).getBytes(StandardCharsets.UTF_8);
                digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) ':');
                digest.update(bytes);
            }
            return put(name, digest);
        }

        /**
         * A file, or a directory with everything below it, by metadata (see the class description); links are
         * recorded as links, never followed. A path that does not exist is recorded as absent.
         */
        public Builder tree(String name, Path root) throws IOException {
            return tree(name, root, Set.of());
        }

        /**
         * {@link #tree(String, Path)} without the entries at {@code excluded} (paths relative to {@code root},
         * separated by {@code /}) and everything below them: for a tree part of which someone else keeps track
         * of, such as the outputs of prepare steps in a staged build directory.
         */
        public Builder tree(String name, Path root, Set<String> excluded) throws IOException {
            MessageDigest digest = sha256();
            if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
                digest.update("absent".getBytes(StandardCharsets.UTF_8));
            } else {
                EntryAttributes attributes = EntryAttributes.of(root);
                if (attributes.isDirectory()) {
                    digestChildren(digest, root, "", excluded);
                } else {
                    digestEntry(digest, root, ".", attributes);
                }
            }
            return put(name, digest);
        }

        /**
         * One path by its own metadata, without what is below it (a directory's time changes when an entry is
         * added to it or removed, as make's targets go by their time); absent when it does not exist.
         */
        public Builder entry(String name, Path path) throws IOException {
            MessageDigest digest = sha256();
            try {
                digestEntry(digest, path, ".", EntryAttributes.of(path));
            } catch (NoSuchFileException e) {
                digest.update("absent".getBytes(StandardCharsets.UTF_8));
            }
            return put(name, digest);
        }

        /**
         * Files and directories by the name each gets somewhere (e.g. the work directory), by <em>content</em>:
         * names, types, modes, owners, file bytes and link targets, never times, so that a fresh clone of the
         * same sources gives the same hash. Links are recorded, never followed; a missing path as absent.
         */
        public Builder contents(String name, Map<String, Path> trees) throws IOException {
            MessageDigest digest = sha256();
            for (Map.Entry<String, Path> tree : new java.util.TreeMap<>(trees).entrySet()) {
                digestContents(digest, tree.getValue(), tree.getKey());
            }
            return put(name, digest);
        }

        public BuildFingerprint build() {
            return new BuildFingerprint(components);
        }

        private static void digestContents(MessageDigest digest, Path path, String relative) throws IOException {
            EntryAttributes attributes;
            try {
                attributes = EntryAttributes.of(path);
            } catch (NoSuchFileException e) {
                digest.update((relative + "\0absent\n").getBytes(StandardCharsets.UTF_8));
                return;
            }
            StringBuilder line = new StringBuilder(relative).append('\0');
            attributes.appendWithoutTime(line);
            if (attributes.isSymbolicLink()) {
                line.append('\0').append(Files.readSymbolicLink(path));
            }
            digest.update(line.append('\n').toString().getBytes(StandardCharsets.UTF_8));
            if (attributes.isRegularFile()) {
                byte[] buffer = new byte[64 * 1024];
                try (java.io.InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
                    for (int read; (read = in.read(buffer)) > 0; ) {
                        digest.update(buffer, 0, read);
                    }
                }
            } else if (attributes.isDirectory()) {
                List<Path> children = new ArrayList<>();
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
                    entries.forEach(children::add);
                }
                children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
                for (Path child : children) {
                    digestContents(digest, child, relative + "/" + child.getFileName());
                }
            }
        }

        private Builder put(String name, MessageDigest digest) {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty() || name.contains("\n") || name.contains("\r")) {
                throw new IllegalArgumentException("Fingerprint component names are one non-empty line: " + name);
            }
            if (components.putIfAbsent(name, HexFormat.of().formatHex(digest.digest())) != null) {
                throw new IllegalArgumentException("Fingerprint component " + name + " added twice");
            }
            return this;
        }

        private static void digestChildren(MessageDigest digest, Path directory, String prefix,
                Set<String> excluded) throws IOException {
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
                entries.forEach(entry -> names.add(entry.getFileName().toString()));
            } catch (NoSuchFileException e) {
                return; // removed while we looked: the next build sees the change
            }
            // Sorted by name: the directory's own order depends on the file system's history.
            names.sort(String::compareTo);
            for (String name : names) {
                String relative = prefix + name;
                if (excluded.contains(relative)) {
                    continue;
                }
                Path child = directory.resolve(name);
                EntryAttributes attributes;
                try {
                    attributes = EntryAttributes.of(child);
                } catch (NoSuchFileException e) {
                    continue; // removed while we looked: the next build sees the change
                }
                digestEntry(digest, child, relative, attributes);
                if (attributes.isDirectory()) {
                    digestChildren(digest, child, relative + "/", excluded);
                }
            }
        }

        private static void digestEntry(MessageDigest digest, Path path, String relative,
                EntryAttributes attributes) throws IOException {
            StringBuilder line = new StringBuilder(relative).append('\0');
            attributes.appendWithoutTime(line);
            line.append('\0').append(attributes.modifiedNanos());
            if (attributes.isSymbolicLink()) {
                line.append('\0').append(Files.readSymbolicLink(path));
            }
            digest.update(line.append('\n').toString().getBytes(StandardCharsets.UTF_8));
        }

        private static MessageDigest sha256() {
            return Sha256.newDigest();
        }
    }

    /**
     * What the fingerprint records of one entry, from one {@code lstat} ({@link FileStatus}): the whole mode
     * (type, permissions, setuid, setgid, sticky) and the numeric owner and group. The POSIX view would
     * look up the owner's and group's names for every entry (a passwd and group lookup each, most of the time
     * of a walk) and leaves out the setuid, setgid and sticky bits, which change what an image does.
     */
    private record EntryAttributes(int mode, int uid, int gid, long size, long modifiedNanos) {
        static EntryAttributes of(Path path) throws IOException {
            FileStatus status = FileStatus.ofWithoutNative(path);
            // uid and gid as the signed ints of the format's first version, so that fingerprints stay comparable
            return new EntryAttributes(status.mode(), (int) status.uid(), (int) status.gid(), status.size(),
                    FileTime.from(status.mtime()).to(TimeUnit.NANOSECONDS));
        }

        boolean isDirectory() {
            return FileModes.type(mode) == FileModes.S_IFDIR;
        }

        boolean isRegularFile() {
            return FileModes.type(mode) == FileModes.S_IFREG;
        }

        boolean isSymbolicLink() {
            return FileModes.type(mode) == FileModes.S_IFLNK;
        }

        /** Mode, size (0 for a directory, whose size is the file system's business), owner and group. */
        void appendWithoutTime(StringBuilder line) {
            line.append(Integer.toOctalString(mode)).append('\0').append(isDirectory() ? 0 : size).append('\0')
                    .append(uid).append('\0').append(gid);
        }
    }
}
