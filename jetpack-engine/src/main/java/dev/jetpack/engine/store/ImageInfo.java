package dev.jetpack.engine.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.io.JsonTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the store records of an image besides its manifest ({@code info.json} in the image's directory): when it
 * was imported, from where, and the stored images its dependencies were rendered from. Its own class, so that
 * code which never reads the record (a no-op build's lookup) does not load the JSON classes with the store.
 *
 * @param importedAt    when the image was imported into this store
 * @param dependencyIds the stored images its dependencies were rendered from, in manifest order
 */
record ImageInfo(Instant importedAt, List<ImageId> dependencyIds) {
    static final String FILE = "info.json";

    ImageInfo {
        java.util.Objects.requireNonNull(importedAt, "importedAt");
        dependencyIds = List.copyOf(dependencyIds);
    }

    /** Writes the record of an image imported now from {@code source} into the image's {@code directory}. */
    static void write(Path directory, String source, List<ImageId> dependencyIds) throws IOException {
        ObjectNode info = JsonTrees.object();
        info.put("importedAt", Instant.now().toString());
        info.put("source", source);
        ArrayNode ids = info.putArray("dependencies");
        dependencyIds.forEach(id -> ids.add(id.value()));
        Files.write(directory.resolve(FILE), JsonTrees.writePretty(info));
    }

    /** Reads the record in the image's {@code directory}. */
    static ImageInfo read(Path directory) throws IOException {
        JsonNode info = JsonTrees.read(directory.resolve(FILE));
        List<ImageId> dependencies = new ArrayList<>();
        for (JsonNode id : info.path("dependencies")) {
            dependencies.add(ImageId.parse(id.asText()));
        }
        return new ImageInfo(Instant.parse(info.path("importedAt").asText()), dependencies);
    }
}
