package dev.jetpack.engine.store;

import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.manifest.ImageManifest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One image in the {@link ImageStore}. Its files are read-only by convention: nothing may change
 * {@link #aciFile()} or {@link #rootfs()} (build containers use the rootfs as an overlay lower directory).
 *
 * @param id             the image ID (SHA-512 of the uncompressed tar)
 * @param manifest       the image's manifest as stored in the ACI
 * @param directory      the image's directory in the store
 * @param aciFile        the ACI exactly as it was received (possibly compressed)
 * @param rootfs         the rendered root file system: dependencies applied, pathWhitelist applied
 * @param aciSize        size of {@link #aciFile()} in bytes
 * @param importedAt     when the image was imported into this store
 * @param dependencyIds  the stored images its dependencies were rendered from, in manifest order
 */
public record StoredImage(ImageId id, ImageManifest manifest, Path directory, Path aciFile, Path rootfs, long aciSize,
        Instant importedAt, List<ImageId> dependencyIds) {
    public StoredImage {
        dependencyIds = List.copyOf(dependencyIds);
    }

    public String name() {
        return manifest.name();
    }

    public Optional<String> label(String labelName) {
        return manifest.label(labelName);
    }

    /** "name:version (sha512-…short)" for messages. */
    public String describe() {
        return manifest.name() + manifest.label("version").map(v -> ":" + v).orElse("") + " (" + id.shortForm() + ")";
    }
}
