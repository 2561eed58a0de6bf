package dev.jetpack.engine.oci;

import java.util.Set;

/**
 * The media types of OCI image-spec 1.1 and their Docker schema 2 twins, which registries and {@code docker save}
 * still use. Readers accept both; writers write the OCI ones (docker 20.10+, podman and skopeo read them).
 */
public final class OciMediaTypes {
    public static final String LAYOUT_VERSION = "1.0.0";

    public static final String INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
    public static final String LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";

    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public static final String DOCKER_LAYER_TAR = "application/vnd.docker.image.rootfs.diff.tar";

    /** Annotation of an index entry: the tag (what docker and skopeo write). */
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    /** Annotation of an index entry: the full reference; podman 4.3 names a loaded image from it. */
    public static final String CONTAINERD_IMAGE_NAME = "io.containerd.image.name";

    public static final Set<String> INDEXES = Set.of(INDEX, DOCKER_MANIFEST_LIST);
    public static final Set<String> MANIFESTS = Set.of(MANIFEST, DOCKER_MANIFEST);
    public static final Set<String> GZIP_LAYERS = Set.of(LAYER_GZIP, DOCKER_LAYER_GZIP);
    public static final Set<String> TAR_LAYERS = Set.of(LAYER_TAR, DOCKER_LAYER_TAR);

    private OciMediaTypes() {
    }
}
