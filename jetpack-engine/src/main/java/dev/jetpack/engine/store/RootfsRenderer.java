package dev.jetpack.engine.store;

import dev.jetpack.engine.io.TreeCopier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * Renders an image's root file system as appc prescribes: the dependencies first, in the manifest's order, the
 * image's own rootfs last, later files winning; then a non-empty pathWhitelist removes every path it does not
 * list.
 *
 * <p>"Depth-first" comes for free: a stored dependency's {@code rootfs/} is itself already rendered (its own
 * dependencies below it, its own whitelist applied), so laying the dependencies' rendered trees in order is
 * exactly the depth-first order of the spec. Each dependency tree is copied with {@link TreeCopier} (the store's
 * copies are never modified); the layers are then combined by renaming ({@link LayerMerger}).
 */
final class RootfsRenderer {
    private RootfsRenderer() {
    }

    /**
     * Builds {@code target} (which must not exist) from the dependencies' rendered trees and the image's own,
     * freshly extracted {@code ownRootfs}, which is consumed.
     */
    static void render(List<Path> dependencyRootfs, Path ownRootfs, Collection<String> pathWhitelist, Path target)
            throws IOException {
        Path work = target.resolveSibling(target.getFileName() + ".layers");
        Files.createDirectories(work);
        Path merged = null;
        for (int i = 0; i < dependencyRootfs.size(); i++) {
            Path copy = work.resolve("dependency-" + i);
            TreeCopier.copy(dependencyRootfs.get(i), copy);
            if (merged != null) {
                LayerMerger.mergeBelow(copy, merged);
            }
            merged = copy;
        }
        if (merged != null) {
            LayerMerger.mergeBelow(ownRootfs, merged);
        }
        Files.move(ownRootfs, target);
        Files.delete(work);
        new PathWhitelist(pathWhitelist).apply(target);
    }
}
