package dev.jetpack.engine.oci;

import dev.jetpack.engine.store.StoredImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one OCI layer holds: entries of a rendered tree in the store and the whiteouts that delete what lower layers
 * have and this image's rendering does not.
 *
 * @param image     the appc image the layer stands for (its history entry)
 * @param tree      a rendered rootfs in the store, read but never changed
 * @param included  relative paths of {@code tree} the layer holds (closed under parents); empty: all of it
 * @param whiteouts relative paths of lower-layer entries to delete, none below another
 */
record LayerSource(StoredImage image, Path tree, Optional<Set<String>> included, List<String> whiteouts) {
    LayerSource {
        included = included.map(Set::copyOf);
        whiteouts = List.copyOf(whiteouts);
    }

    /** The whole tree as a layer with no whiteouts: a flat image, or a dependency laid over what is below. */
    static LayerSource whole(StoredImage image, Path tree) {
        return new LayerSource(image, tree, Optional.empty(), List.of());
    }
}
