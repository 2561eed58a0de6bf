package dev.jetpack.engine.oci;

/** What an OCI export writes. */
public enum OciExportFormat {
    /**
     * An OCI image layout directory (image-spec {@code image-layout.md}); an existing layout keeps its other
     * images, and an image with the same tag is replaced, as skopeo does.
     */
    OCI_LAYOUT,
    /**
     * One tar file that {@code docker load} and {@code podman load} accept: an OCI layout plus the
     * {@code manifest.json} of {@code docker save}, whose paths point into {@code blobs/sha256/} (what Docker 25
     * writes; docker 20.10, podman and skopeo read it).
     */
    DOCKER_ARCHIVE
}
