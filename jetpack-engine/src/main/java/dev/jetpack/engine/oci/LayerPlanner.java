package dev.jetpack.engine.oci;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.aci.AciReader;
import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.aci.TarEntry;
import dev.jetpack.engine.store.StoredImage;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Turns a stored image into OCI layers whose OCI rendering (base first, later entries win, whiteouts delete) is
 * exactly the image's rendered {@code rootfs()}.
 *
 * <p>A flat image is one layer: its rendered tree. A layered image is, as appc renders it, its first dependency's
 * layers (recursively, so a chain of layered builds gives one layer per image, base first), each further dependency's
 * rendered tree as one layer (appc lays rendered trees over each other, which a single layer reproduces), and last
 * the image's own layer: the entries of its own ACI that its rendering kept, plus a whiteout for each path below
 * that the rendering does not have (what the build deleted, what its {@code pathWhitelist} drops). The plan is
 * checked against the rendered tree by path and kind; should the layers not reproduce it (appc and OCI disagree in
 * corner cases of replacing directories), the image is exported as one flat layer instead, with a warning.
 */
final class LayerPlanner {
    private final Function<ImageId, StoredImage> images;
    private final EngineLog log;

    /** @param images finds a stored dependency by its ID */
    LayerPlanner(Function<ImageId, StoredImage> images, EngineLog log) {
        this.images = images;
        this.log = log;
    }

    List<LayerSource> plan(StoredImage image) throws IOException {
        List<LayerSource> layers = new ArrayList<>();
        try {
            layersOf(image, layers);
            return layers;
        } catch (NotLayerable e) {
            log.warn("Exporting " + image.describe() + " as one layer: " + e.getMessage());
            return List.of(LayerSource.whole(image, image.rootfs()));
        }
    }

    /** Appends the layers of {@code image} and returns the paths (with kinds) their rendering gives. */
    private NavigableMap<String, Boolean> layersOf(StoredImage image, List<LayerSource> layers) throws IOException {
        NavigableMap<String, Boolean> rendered = pathKinds(image.rootfs());
        if (image.dependencyIds().isEmpty()) {
            layers.add(LayerSource.whole(image, image.rootfs()));
            return rendered;
        }
        NavigableMap<String, Boolean> below = null;
        for (ImageId dependencyId : image.dependencyIds()) {
            StoredImage dependency = images.apply(dependencyId);
            if (below == null) {
                below = layersOf(dependency, layers);
            } else {
                layers.add(LayerSource.whole(dependency, dependency.rootfs()));
                overlay(below, pathKinds(dependency.rootfs()));
            }
        }
        TreeMap<String, Boolean> own = new TreeMap<>();
        for (Map.Entry<String, TarEntry.Type> entry : AciReader.rootfsEntryTypes(image.aciFile()).entrySet()) {
            Boolean kind = rendered.get(entry.getKey());
            if (kind != null) { // what the pathWhitelist dropped is not part of the layer
                addWithParents(own, entry.getKey(), rendered);
            }
        }
        overlay(below, own);
        List<String> whiteouts = new ArrayList<>();
        for (String path : below.keySet()) {
            String parent = parent(path);
            if (!rendered.containsKey(path) && (parent.isEmpty() || rendered.containsKey(parent))) {
                whiteouts.add(path);
                addWithParents(own, parent, rendered); // a whiteout lives in its directory
            }
        }
        for (String path : whiteouts) {
            removeSubtree(below, path);
        }
        if (!below.equals(rendered)) {
            throw new NotLayerable("its rendered tree differs from what its layers give at "
                    + firstDifference(below, rendered));
        }
        layers.add(new LayerSource(image, image.rootfs(), Optional.of(own.keySet()), whiteouts));
        return rendered;
    }

    /** OCI's rule of applying a layer: an entry replaces what is there, and a non-directory takes a subtree with it. */
    private static void overlay(NavigableMap<String, Boolean> tree, NavigableMap<String, Boolean> layer) {
        for (Map.Entry<String, Boolean> entry : layer.entrySet()) {
            if (!entry.getValue()) {
                removeSubtree(tree, entry.getKey());
            }
            tree.put(entry.getKey(), entry.getValue());
        }
    }

    private static void removeSubtree(NavigableMap<String, Boolean> tree, String path) {
        tree.remove(path);
        tree.subMap(path + "/", true, path + "0", false).clear(); // '0' follows '/': exactly the descendants
    }

    private static void addWithParents(NavigableMap<String, Boolean> layer, String path,
                                       NavigableMap<String, Boolean> rendered) {
        for (String at = path; !at.isEmpty() && !layer.containsKey(at); at = parent(at)) {
            layer.put(at, rendered.get(at));
        }
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    private static String firstDifference(NavigableMap<String, Boolean> layered, NavigableMap<String, Boolean> rendered) {
        TreeSet<String> all = new TreeSet<>(layered.keySet());
        all.addAll(rendered.keySet());
        for (String path : all) {
            if (!java.util.Objects.equals(layered.get(path), rendered.get(path))) {
                return "/" + path;
            }
        }
        return "(nowhere)";
    }

    /** Every path below {@code root} (relative, e.g. {@code etc/passwd}) → whether it is a real directory. */
    static NavigableMap<String, Boolean> pathKinds(Path root) throws IOException {
        NavigableMap<String, Boolean> kinds = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                if (!dir.equals(root)) {
                    kinds.put(root.relativize(dir).toString(), true);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                kinds.put(root.relativize(file).toString(), false);
                return FileVisitResult.CONTINUE;
            }
        });
        return kinds;
    }

    private static final class NotLayerable extends RuntimeException {
        NotLayerable(String message) {
            super(message, null, false, false);
        }
    }
}
