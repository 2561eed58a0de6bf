package dev.jetpack.engine.store;

import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.manifest.ImageManifest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One image in the {@link ImageStore}. Its files are read-only by convention: nothing may change
 * {@link #aciFile()} or {@link #rootfs()} (build containers use the rootfs as an overlay lower directory).
 *
 * <p>An image looked up by ID reads its manifest and import record on first use: a no-op build only needs to
 * know that its parent is stored and what its ID is, and reading the JSON would start a JSON parser (some 40 ms in
 * a fresh Maven JVM, close to half of what a no-op may take).
 */
public final class StoredImage {
    /** The parts of an image that live in its JSON files: the manifest and the store's record of it. */
    record Contents(ImageManifest manifest, ImageInfo info) {
        Contents {
            Objects.requireNonNull(manifest, "manifest");
            Objects.requireNonNull(info, "info");
        }
    }

    /** Reads an image's {@link Contents}; throws {@link StoreException} when they cannot be read. */
    @FunctionalInterface
    interface ContentsReader {
        Contents read();
    }

    private final ImageId id;
    private final Path directory;
    private final Path aciFile;
    private final Path rootfs;
    private final long aciSize;
    private final ContentsReader reader;
    private volatile Contents contents;

    /**
     * An image whose contents are known.
     *
     * @param id            the image ID (SHA-512 of the uncompressed tar)
     * @param manifest      the image's manifest as stored in the ACI
     * @param directory     the image's directory in the store
     * @param aciFile       the ACI exactly as it was received (possibly compressed)
     * @param rootfs        the rendered root file system: dependencies applied, pathWhitelist applied
     * @param aciSize       size of {@link #aciFile()} in bytes
     * @param importedAt    when the image was imported into this store
     * @param dependencyIds the stored images its dependencies were rendered from, in manifest order
     */
    public StoredImage(ImageId id, ImageManifest manifest, Path directory, Path aciFile, Path rootfs, long aciSize,
            Instant importedAt, List<ImageId> dependencyIds) {
        this(id, directory, aciFile, rootfs, aciSize, null);
        this.contents = new Contents(manifest, new ImageInfo(importedAt, dependencyIds));
    }

    /** An image whose contents {@code reader} reads when they are first asked for. */
    StoredImage(ImageId id, Path directory, Path aciFile, Path rootfs, long aciSize, ContentsReader reader) {
        this.id = Objects.requireNonNull(id, "id");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.aciFile = Objects.requireNonNull(aciFile, "aciFile");
        this.rootfs = Objects.requireNonNull(rootfs, "rootfs");
        this.aciSize = aciSize;
        this.reader = reader;
    }

    public ImageId id() {
        return id;
    }

    /**
     * The image's manifest as stored in the ACI.
     *
     * @throws StoreException when the stored manifest cannot be read (the image was removed meanwhile, or its
     *                        files are damaged)
     */
    public ImageManifest manifest() {
        return contents().manifest();
    }

    public Path directory() {
        return directory;
    }

    public Path aciFile() {
        return aciFile;
    }

    public Path rootfs() {
        return rootfs;
    }

    public long aciSize() {
        return aciSize;
    }

    /** When the image was imported into this store. */
    public Instant importedAt() {
        return contents().info().importedAt();
    }

    /** The stored images its dependencies were rendered from, in manifest order. */
    public List<ImageId> dependencyIds() {
        return contents().info().dependencyIds();
    }

    public String name() {
        return manifest().name();
    }

    public Optional<String> label(String labelName) {
        return manifest().label(labelName);
    }

    /** "name:version (sha512-…short)" for messages. */
    public String describe() {
        return name() + label("version").map(v -> ":" + v).orElse("") + " (" + id.shortForm() + ")";
    }

    private Contents contents() {
        Contents known = contents;
        if (known == null) {
            synchronized (this) {
                known = contents;
                if (known == null) {
                    known = reader.read();
                    contents = known;
                }
            }
        }
        return known;
    }

    /** Two handles on the same image of the same store are equal, whether their contents were read or not. */
    @Override
    public boolean equals(Object other) {
        return other instanceof StoredImage that && id.equals(that.id) && directory.equals(that.directory);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, directory);
    }

    @Override
    public String toString() {
        return "StoredImage[id=" + id + ", directory=" + directory + "]";
    }
}
