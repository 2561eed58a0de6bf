package dev.jetpack.engine.store;

import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.ImageReference;
import dev.jetpack.engine.manifest.InvalidManifestException;
import dev.jetpack.engine.manifest.ManifestCodec;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The store's {@code images/} directory as a reader sees it: the complete images in it, and the one a user
 * means by an ID, an ID prefix, or a name with labels. It never writes; {@link ImageStore} publishes and removes
 * images, each by one atomic rename, so whatever is read here is a complete image.
 */
final class StoredImages {
    /** Unprefixed hex shorter than this is taken as a name, not an ID prefix ("cafe" may well be a name). */
    private static final int MIN_BARE_PREFIX = 6;
    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

    private final Path root;
    private final Path images;

    /**
     * @param root   the store, for messages
     * @param images its {@code images/} directory
     */
    StoredImages(Path root, Path images) {
        this.root = root;
        this.images = images;
    }

    /**
     * The stored image with exactly this ID, if there is one. Its manifest and import record are read on first
     * use ({@link StoredImage}).
     */
    Optional<StoredImage> get(ImageId id) {
        Path directory = images.resolve(id.value());
        Path aciFile = directory.resolve(ImageStore.ACI_FILE);
        long aciSize;
        try {
            aciSize = Files.size(aciFile);
        } catch (NoSuchFileException e) {
            return Optional.empty(); // not stored (images are published whole, by one rename), or removed
        } catch (IOException e) {
            throw unreadable(id, directory, e);
        }
        return Optional.of(new StoredImage(id, directory, aciFile, directory.resolve(ImageStore.ROOTFS), aciSize,
                () -> readContents(id, directory)));
    }

    boolean contains(ImageId id) {
        return Files.isDirectory(images.resolve(id.value()));
    }

    private StoredImage.Contents readContents(ImageId id, Path directory) {
        try {
            ImageManifest manifest = ManifestCodec.read(
                    Files.readAllBytes(directory.resolve(ImageStore.MANIFEST_FILE)));
            return new StoredImage.Contents(manifest, ImageInfo.read(directory));
        } catch (NoSuchFileException e) {
            throw new StoreException("Image " + id + " was removed from the store " + root + " while it was in use ("
                    + e.getMessage() + " is gone). Fetch it again.", e);
        } catch (IOException | InvalidManifestException e) {
            // A damaged file of the store, not the user's manifest: the fix is the store's, not the JSON's.
            throw unreadable(id, directory, e);
        }
    }

    private static StoreException unreadable(ImageId id, Path directory, Exception e) {
        return new StoreException("Cannot read image " + id + " in " + directory + ": " + e.getMessage()
                + ". Remove the image and fetch it again.", e);
    }

    /** All stored images, ordered by ID, read: one removed while they are listed is left out. */
    List<StoredImage> list() {
        List<StoredImage> all = new ArrayList<>();
        for (ImageId id : storedIds()) {
            Optional<StoredImage> image = get(id);
            if (image.isPresent() && readUnlessRemoved(image.get())) {
                all.add(image.get());
            }
        }
        return all;
    }

    /** Reads the image's contents now; false when it was removed meanwhile. */
    private boolean readUnlessRemoved(StoredImage image) {
        try {
            image.manifest();
            return true;
        } catch (StoreException e) {
            if (Files.isDirectory(image.directory())) {
                throw e;
            }
            return false;
        }
    }

    private List<ImageId> storedIds() {
        List<ImageId> ids = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(images)) {
            for (Path entry : stream) {
                String name = entry.getFileName().toString();
                if (ImageId.isValid(name)) {
                    ids.add(ImageId.parse(name));
                }
            }
        } catch (IOException e) {
            throw new StoreException("Cannot list " + images + ": " + e.getMessage(), e);
        }
        ids.sort(Comparator.naturalOrder());
        return ids;
    }

    /**
     * Finds an image the way users name one: a full image ID; an unambiguous ID prefix ({@code sha512-} plus at
     * least one hex digit, or at least {@value #MIN_BARE_PREFIX} bare hex digits); or
     * {@code NAME[:VERSION][,LABEL=VALUE...]} (see {@link #find(ImageReference)}).
     *
     * @throws ImageNotFoundException when nothing matches
     * @throws StoreException         when an ID prefix matches several images (they are listed)
     */
    StoredImage find(String what) {
        String text = what == null ? "" : what.trim();
        if (ImageId.isValid(text)) {
            return get(ImageId.parse(text)).orElseThrow(() -> new ImageNotFoundException("No image with ID " + text
                    + " in the store " + root + ". Fetch or import it first."));
        }
        boolean explicitPrefix = text.startsWith(ImageId.PREFIX);
        String hex = explicitPrefix ? text.substring(ImageId.PREFIX.length()) : text;
        if (HEX.matcher(hex).matches() && (explicitPrefix || hex.length() >= MIN_BARE_PREFIX)) {
            List<ImageId> candidates = storedIds().stream().filter(id -> id.hex().startsWith(hex)).toList();
            if (candidates.size() == 1) {
                return get(candidates.get(0)).orElseThrow(() -> new ImageNotFoundException("Image " + candidates.get(0)
                        + " was removed while it was being looked up."));
            }
            if (candidates.size() > 1) {
                throw new StoreException("Image ID prefix '" + text + "' is ambiguous: it matches "
                        + candidates.size() + " images in " + root + ":\n" + candidates.stream()
                                .map(id -> "  " + get(id).map(StoredImage::describe).orElse(id.shortForm()) + "  " + id)
                                .collect(Collectors.joining("\n"))
                        + "\nGive more digits of the ID.");
            }
            if (explicitPrefix) {
                throw new ImageNotFoundException("No image ID in the store " + root + " starts with " + text
                        + ". List the stored images to see their IDs.");
            }
        } else if (explicitPrefix) {
            throw new ImageNotFoundException("'" + text + "' is not an image ID or ID prefix: after 'sha512-' come"
                    + " lowercase hex digits.");
        }
        return find(ImageReference.parse(text));
    }

    /**
     * The newest stored image named {@code reference.name()} that has all of the reference's labels. "Newest" is
     * the highest {@code version} label (SemVer-like comparison), then the latest import. A requested version of
     * {@code latest} matches an image labelled {@code version=latest} if there is one and otherwise means
     * "any version".
     *
     * @throws ImageNotFoundException when no stored image matches
     */
    StoredImage find(ImageReference reference) {
        List<StoredImage> candidates = matching(reference);
        if (!candidates.isEmpty()) {
            return candidates.get(0);
        }
        List<StoredImage> sameName = list().stream().filter(image -> image.name().equals(reference.name())).toList();
        String known = sameName.isEmpty() ? "No image of that name is stored."
                : "Stored images of that name: " + sameName.stream().map(StoredImages::describeLabels)
                        .collect(Collectors.joining("; ")) + ".";
        throw new ImageNotFoundException("No image matching " + reference + " in the store " + root + ". " + known
                + " Fetch the image first, or ask for labels that a stored image has.");
    }

    /** The stored images matching {@code reference} (see {@link #find(ImageReference)}), newest first. */
    List<StoredImage> matching(ImageReference reference) {
        List<StoredImage> candidates = list().stream().filter(image -> matches(image, reference.labels()))
                .filter(image -> image.name().equals(reference.name())).collect(Collectors.toList());
        if (candidates.isEmpty() && "latest".equals(reference.labels().get("version"))) {
            Map<String, String> anyVersion = new java.util.LinkedHashMap<>(reference.labels());
            anyVersion.remove("version");
            return matching(new ImageReference(reference.name(), anyVersion));
        }
        candidates.sort(ImageStore.newestFirst());
        return candidates;
    }

    private static boolean matches(StoredImage image, Map<String, String> labels) {
        return labels.entrySet().stream()
                .allMatch(wanted -> image.label(wanted.getKey()).equals(Optional.of(wanted.getValue())));
    }

    private static String describeLabels(StoredImage image) {
        return image.manifest().labels().stream().map(label -> label.name() + "=" + label.value())
                .collect(Collectors.joining(",", image.id().shortForm() + " [", "]"));
    }
}
