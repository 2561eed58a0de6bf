package dev.jetpack.engine.build;

import dev.jetpack.engine.aci.AciReader;
import dev.jetpack.engine.aci.ReaderOptions;
import dev.jetpack.engine.io.FileTrees;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.ManifestCodec;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Renders test images the way appc says a runtime does: dependencies first, the image's own rootfs over them
 * (the later entry wins whatever its type; two directories merge, keeping the later one's metadata), then a
 * non-empty pathWhitelist drops every path it does not list. Independent of the store on purpose, so that the
 * build tests check the images against the spec, not against another component's reading of it.
 */
final class ImageRendering {
    private ImageRendering() {
    }

    /** Extracts an ACI's rootfs into {@code target} (which must not exist) and returns its manifest. */
    static ImageManifest extract(Path aci, Path target) {
        return ManifestCodec.read(AciReader.extract(aci, target, ReaderOptions.defaults()).manifestJson());
    }

    /** Renders a layered image over its (flat) parent into {@code target}. */
    static ImageManifest renderLayered(Path parentAci, Path layerAci, Path target, Path scratch) throws IOException {
        extract(parentAci, target);
        Path layer = scratch.resolve("layer");
        ImageManifest manifest = extract(layerAci, layer);
        overlay(layer, target);
        if (!manifest.pathWhitelist().isEmpty()) {
            Set<String> keep = new HashSet<>(manifest.pathWhitelist());
            prune(target, "", keep);
        }
        return manifest;
    }

    /** Moves {@code upper}'s entries over {@code lower}: the upper entry wins unless both are directories. */
    private static void overlay(Path upper, Path lower) throws IOException {
        copyDirectoryMetadata(upper, lower);
        for (Path entry : list(upper)) {
            Path counterpart = lower.resolve(entry.getFileName().toString());
            boolean bothDirectories = Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
                    && Files.isDirectory(counterpart, LinkOption.NOFOLLOW_LINKS);
            if (bothDirectories) {
                overlay(entry, counterpart);
            } else {
                FileTrees.deleteRecursively(counterpart);
                Files.move(entry, counterpart, LinkOption.NOFOLLOW_LINKS);
            }
        }
    }

    private static void copyDirectoryMetadata(Path from, Path to) throws IOException {
        // Owner first: chown clears setuid/setgid bits, which the mode then sets again.
        Files.setAttribute(to, "unix:uid", Files.getAttribute(from, "unix:uid", LinkOption.NOFOLLOW_LINKS));
        Files.setAttribute(to, "unix:gid", Files.getAttribute(from, "unix:gid", LinkOption.NOFOLLOW_LINKS));
        Files.setAttribute(to, "unix:mode", Files.getAttribute(from, "unix:mode", LinkOption.NOFOLLOW_LINKS));
    }

    private static void prune(Path directory, String path, Set<String> keep) throws IOException {
        for (Path entry : list(directory)) {
            String entryPath = path + "/" + entry.getFileName();
            if (!keep.contains(entryPath)) {
                FileTrees.deleteRecursively(entry);
            } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                prune(entry, entryPath, keep);
            }
        }
    }

    private static List<Path> list(Path directory) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            stream.forEach(entries::add);
        }
        return entries;
    }
}
