package dev.jetpack.engine.oci;

import dev.jetpack.engine.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An OCI image layout directory (image-spec {@code image-layout.md}): {@code oci-layout}, {@code index.json} and
 * content-addressed {@code blobs/<algorithm>/<hex>}.
 *
 * <p>Blobs are written under a temporary name and renamed to their digest once complete, so a blob file is
 * always whole; a blob already present is kept (same digest, same bytes). Reading a blob checks its digest and
 * size against the descriptor, so a damaged layout is refused instead of giving a wrong tree.
 */
public final class OciLayout {
    private static final String LAYOUT_FILE = "oci-layout";
    private static final String INDEX_FILE = "index.json";

    private final Path directory;

    private OciLayout(Path directory) {
        this.directory = directory;
    }

    /** Opens an existing layout; refuses a directory that is not one. */
    public static OciLayout open(Path directory) {
        Path layoutFile = directory.resolve(LAYOUT_FILE);
        if (!Files.isRegularFile(layoutFile) || !Files.isRegularFile(directory.resolve(INDEX_FILE))) {
            throw new OciFormatException(directory + " is not an OCI image layout: it needs the files " + LAYOUT_FILE
                    + " and " + INDEX_FILE + ". Give the directory that skopeo, umoci or `jetpack export --format oci` wrote");
        }
        return new OciLayout(directory);
    }

    /**
     * Opens the layout at {@code directory}, creating an empty one (version file, empty index) if the directory
     * does not exist or is empty; an existing layout is opened as it is, so that several images can share one.
     */
    public static OciLayout createOrOpen(Path directory) throws IOException {
        boolean empty = !Files.exists(directory);
        if (!empty && Files.isDirectory(directory)) {
            try (var children = Files.list(directory)) {
                empty = children.findAny().isEmpty();
            }
        }
        if (!empty) {
            return open(directory);
        }
        Files.createDirectories(directory.resolve("blobs"));
        AtomicFiles.write(directory.resolve(LAYOUT_FILE),
                ("{\"imageLayoutVersion\":\"" + OciMediaTypes.LAYOUT_VERSION + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        AtomicFiles.write(directory.resolve(INDEX_FILE), OciJson.write(OciIndex.of(List.of())));
        return new OciLayout(directory);
    }

    public Path directory() {
        return directory;
    }

    public Path blobPath(Digest digest) {
        return directory.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
    }

    public OciIndex index() throws IOException {
        return OciJson.read(Files.readAllBytes(directory.resolve(INDEX_FILE)), OciIndex.class,
                "index.json of " + directory);
    }

    /** Replaces {@code index.json} atomically. */
    public void writeIndex(OciIndex index) throws IOException {
        AtomicFiles.write(directory.resolve(INDEX_FILE), OciJson.write(index));
    }

    /**
     * Adds {@code manifest} to the index under {@code tag} ({@link OciMediaTypes#REF_NAME}), replacing an entry
     * with the same tag, as skopeo does.
     *
     * @param fullReference written as {@link OciMediaTypes#CONTAINERD_IMAGE_NAME}, if present
     */
    public void tag(Descriptor manifest, String tag, Optional<String> fullReference) throws IOException {
        Map<String, String> annotations = new java.util.TreeMap<>(manifest.annotations());
        annotations.put(OciMediaTypes.REF_NAME, tag);
        fullReference.ifPresent(reference -> annotations.put(OciMediaTypes.CONTAINERD_IMAGE_NAME, reference));
        List<Descriptor> manifests = new ArrayList<>();
        for (Descriptor existing : index().manifests()) {
            if (!tag.equals(existing.annotations().get(OciMediaTypes.REF_NAME))) {
                manifests.add(existing);
            }
        }
        manifests.add(manifest.withAnnotations(annotations));
        writeIndex(OciIndex.of(manifests));
    }

    /** Writes {@code content} as a blob of {@code mediaType}; returns its descriptor. */
    public Descriptor putBlob(String mediaType, byte[] content) throws IOException {
        Digest digest = Digest.sha256(content);
        Path target = blobPath(digest);
        if (!Files.isRegularFile(target) || Files.size(target) != content.length) {
            Files.createDirectories(target.getParent());
            AtomicFiles.write(target, content);
        }
        return new Descriptor(mediaType, digest, content.length);
    }

    /** Writes what {@code writer} produces as a blob of {@code mediaType}, digesting it on the way. */
    public Descriptor putBlob(String mediaType, AtomicFiles.Writer writer) throws IOException {
        Path blobs = directory.resolve("blobs").resolve("sha256");
        Files.createDirectories(blobs);
        Path temporary = Files.createTempFile(blobs, "upload" + AtomicFiles.TEMP_MARKER, "");
        try {
            MessageDigest sha256 = Digest.newSha256();
            long size;
            try (OutputStream file = Files.newOutputStream(temporary);
                 DigestOutputStream digesting = new DigestOutputStream(file, sha256)) {
                writer.write(digesting);
                digesting.flush();
                size = Files.size(temporary);
            }
            Digest digest = Digest.ofSha256(sha256);
            AtomicFiles.move(temporary, blobPath(digest));
            return new Descriptor(mediaType, digest, size);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Opens the blob of {@code descriptor}; the stream fails at its end if the digest or size is wrong. */
    public InputStream openBlob(Descriptor descriptor) throws IOException {
        Path path = blobPath(descriptor.digest());
        try {
            return new VerifyingInputStream(Files.newInputStream(path), descriptor, path.toString());
        } catch (NoSuchFileException e) {
            throw new OciFormatException("OCI layout " + directory + " lacks the blob " + descriptor.digest()
                    + " (" + descriptor.mediaType() + ") that its manifests name: the layout is incomplete");
        }
    }

    /** Reads a small blob (manifest, config, index) whole, checked against its descriptor. */
    public byte[] readBlob(Descriptor descriptor) throws IOException {
        try (InputStream in = openBlob(descriptor)) {
            return in.readAllBytes();
        }
    }

    /**
     * The index entry for {@code tag}; without a tag, the only entry. An error lists the tags there are.
     */
    public Descriptor find(Optional<String> tag) throws IOException {
        List<Descriptor> entries = index().manifests();
        if (tag.isEmpty()) {
            if (entries.size() == 1) {
                return entries.get(0);
            }
            throw new OciFormatException("OCI layout " + directory + " has " + entries.size()
                    + " images: name one with oci:" + directory + ":TAG (tags: " + tags(entries) + ")");
        }
        return entries.stream()
                .filter(entry -> tag.get().equals(entry.annotations().get(OciMediaTypes.REF_NAME)))
                .findFirst()
                .orElseThrow(() -> new OciFormatException("OCI layout " + directory + " has no image tagged '"
                        + tag.get() + "' (tags: " + tags(entries) + ")"));
    }

    private static String tags(List<Descriptor> entries) {
        List<String> tags = entries.stream()
                .map(entry -> entry.annotations().getOrDefault(OciMediaTypes.REF_NAME, "(untagged " + entry.digest() + ")"))
                .toList();
        return tags.isEmpty() ? "none" : String.join(", ", tags);
    }

    @Override
    public String toString() {
        return "OCI layout " + Objects.toString(directory);
    }
}
