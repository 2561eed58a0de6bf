package dev.jetpack.maven;

import dev.jetpack.engine.io.FileTrees;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Removes the {@code cleanFiles} (CLEAN_FILES), each relative to the project directory.
 *
 * <p>Like {@code rm -rf} in the make macros, directories go with everything in them, and the last name of an
 * entry may be a glob ({@code *.tar.gz}, {@code rootfs-?}); unlike it, nothing outside the project directory is
 * touched, nor the project directory itself: a stray {@code ..} or {@code /} in a POM must not wipe a machine.
 * Links are removed, never followed.
 */
final class CleanFiles {
    private CleanFiles() {
    }

    /**
     * @param log receives one line per removed path
     * @return the removed paths
     */
    static List<Path> clean(Path basedir, List<String> entries, Consumer<String> log)
            throws IOException, ConfigurationException {
        List<Path> removed = new ArrayList<>();
        for (String entry : entries) {
            for (Path path : expand(basedir, entry)) {
                if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                    log.accept("Deleting " + path);
                    FileTrees.deleteRecursively(path);
                    removed.add(path);
                }
            }
        }
        return removed;
    }

    /** The paths an entry names: itself, or the matches of its glob-bearing last name. */
    static List<Path> expand(Path basedir, String entry) throws IOException, ConfigurationException {
        if (entry == null || entry.isBlank()) {
            throw new ConfigurationException("Empty entry in parameter 'cleanFiles': list paths relative to the"
                    + " project directory, e.g. <cleanFile>rootfs.tar.gz</cleanFile>");
        }
        Path path = basedir.resolve(entry.trim()).normalize();
        if (!path.startsWith(basedir) || path.equals(basedir)) {
            throw new ConfigurationException("Entry '" + entry + "' of parameter 'cleanFiles' resolves to " + path
                    + ", which is not inside the project directory " + basedir + "; jetpack:clean only removes"
                    + " files below the project directory");
        }
        String name = path.getFileName().toString();
        if (isGlob(path.getParent().toString())) {
            throw new ConfigurationException("Entry '" + entry + "' of parameter 'cleanFiles' has a wildcard"
                    + " before its last name; only the last name may be a pattern, e.g. build/*.tar");
        }
        if (!isGlob(name)) {
            return List.of(path);
        }
        List<Path> matches = new ArrayList<>();
        if (!Files.isDirectory(path.getParent())) {
            return matches;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(path.getParent(), name)) {
            stream.forEach(matches::add);
        }
        matches.sort(null);
        return matches;
    }

    private static boolean isGlob(String s) {
        return s.contains("*") || s.contains("?") || s.contains("[") || s.contains("{");
    }
}
