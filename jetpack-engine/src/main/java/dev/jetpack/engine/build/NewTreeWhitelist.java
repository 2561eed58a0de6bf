package dev.jetpack.engine.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The {@code pathWhitelist} of a layered image whose build deleted something of its parent: every path of the
 * new tree (directories included, the root excluded), absolute and sorted, as Jetpack wrote it. A renderer
 * that lays the layer over the parent then drops exactly what the build deleted.
 */
final class NewTreeWhitelist {
    private NewTreeWhitelist() {
    }

    static List<String> of(Path tree) throws IOException {
        try (Stream<Path> paths = Files.walk(tree)) {
            return paths.filter(path -> !path.equals(tree))
                    .map(path -> "/" + tree.relativize(path))
                    .sorted()
                    .toList();
        }
    }
}
