package dev.jetpack.engine.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Finds which overlay layer holds a path of the merged tree: the topmost layer that has it. It lists each layer's
 * copy of a directory once and answers every file of that directory from the listings, instead of a failed
 * lstat (a thrown exception in the JDK) for each layer that lacks the file; entries come in directory order
 * ({@link dev.jetpack.engine.aci.TreeWalk}), so only the last directory's listings are kept.
 *
 * <p>Not thread-safe: one walk of one tree.
 */
final class BackingFiles implements Function<String, Path> {
    /** Upper first, then the lower layers from the top down, as overlayfs looks them up. */
    private final List<Path> layers;
    private final Path mergedRoot;
    private String listedDirectory;
    private final List<Set<String>> listings = new ArrayList<>();

    BackingFiles(List<Path> layers, Path mergedRoot) {
        this.layers = List.copyOf(layers);
        this.mergedRoot = mergedRoot;
    }

    /** @param relative a path below the merged root that exists there */
    @Override
    public Path apply(String relative) {
        int slash = relative.lastIndexOf('/');
        String directory = slash < 0 ? "" : relative.substring(0, slash);
        String name = relative.substring(slash + 1);
        if (!directory.equals(listedDirectory)) {
            list(directory);
        }
        for (int i = 0; i < layers.size(); i++) {
            if (listings.get(i).contains(name)) {
                return layers.get(i).resolve(relative);
            }
        }
        throw new IllegalStateException(relative + " is in build container " + mergedRoot
                + " but in none of its layers");
    }

    private void list(String directory) {
        listings.clear();
        for (Path layer : layers) {
            listings.add(names(directory.isEmpty() ? layer : layer.resolve(directory)));
        }
        listedDirectory = directory;
    }

    private static Set<String> names(Path directory) {
        Set<String> names = new HashSet<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(directory)) {
            for (Path child : children) {
                names.add(child.getFileName().toString());
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return Set.of(); // this layer has nothing at that directory (or only a file or whiteout over it)
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list " + directory + " of a build container's layer", e);
        }
        return names;
    }
}
