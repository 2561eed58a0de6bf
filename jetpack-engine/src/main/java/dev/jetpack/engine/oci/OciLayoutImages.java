package dev.jetpack.engine.oci;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Reads an image out of an OCI image layout ({@code oci:DIR[:TAG]}), every blob checked against its digest. */
public final class OciLayoutImages {
    private OciLayoutImages() {
    }

    /** The image tagged {@code tag} (or the only one) for {@code platform}. */
    public static OciImage read(Path directory, Optional<String> tag, Descriptor.Platform platform)
            throws IOException {
        OciLayout layout = OciLayout.open(directory);
        Descriptor entry = layout.find(tag);
        String source = "oci:" + directory + tag.map(t -> ":" + t).orElse("");
        String fullName = entry.annotations().get(OciMediaTypes.CONTAINERD_IMAGE_NAME);
        String refName = entry.annotations().get(OciMediaTypes.REF_NAME);
        // A containerd name carries the repository (docker and jetpack write it); otherwise the directory names it.
        String repository = fullName != null ? withoutTag(fullName) : directory.getFileName().toString();
        Optional<String> foundTag = tag.isPresent() ? tag : Optional.ofNullable(refName);
        return OciManifests.resolve(entry, new OciManifests.Blobs() {
            @Override
            public byte[] read(Descriptor descriptor) throws IOException {
                return layout.readBlob(descriptor);
            }

            @Override
            public OciImage.BlobOpener opener(Descriptor descriptor) {
                return () -> layout.openBlob(descriptor);
            }
        }, platform, source, repository, foundTag);
    }

    /** {@code host/repo:tag} or {@code host/repo@sha256:…} without the tag or digest. */
    static String withoutTag(String reference) {
        String name = reference;
        int at = name.indexOf('@');
        if (at >= 0) {
            name = name.substring(0, at);
        }
        int colon = name.lastIndexOf(':');
        return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
    }
}
