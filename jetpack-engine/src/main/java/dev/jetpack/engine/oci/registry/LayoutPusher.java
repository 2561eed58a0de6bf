package dev.jetpack.engine.oci.registry;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.oci.Descriptor;
import dev.jetpack.engine.oci.Digest;
import dev.jetpack.engine.oci.OciFormatException;
import dev.jetpack.engine.oci.OciIndex;
import dev.jetpack.engine.oci.OciJson;
import dev.jetpack.engine.oci.OciLayout;
import dev.jetpack.engine.oci.OciManifest;
import dev.jetpack.engine.oci.OciMediaTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Pushes an image of an OCI layout to a registry: the layers and the config first ({@link BlobUploader}), the
 * manifest last, so that the tag never names an image whose blobs are missing; an index goes up after each of
 * its images (by digest). The registry's {@code Docker-Content-Digest} must be the manifest's digest.
 */
public final class LayoutPusher {
    private final EngineLog log;

    public LayoutPusher(EngineLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * Pushes the manifest (or index, with each of its images) {@code manifest} of {@code layout} as
     * {@code target}; blobs are read from the layout.
     */
    public PushResult push(OciLayout layout, Descriptor manifest, RegistryReference target, PushOptions options) {
        requireTag(target);
        RegistryClient client = new RegistryClient(target, options.registry(), log);
        BlobUploader uploader = new BlobUploader(client, options, log);
        List<PushResult.BlobPush> blobs = new ArrayList<>();
        byte[] bytes = read(layout, manifest);
        if (OciMediaTypes.INDEXES.contains(manifest.mediaType())) {
            OciIndex index = OciJson.read(bytes, OciIndex.class, "the index " + manifest.digest() + " in " + layout);
            for (Descriptor entry : index.manifests()) {
                byte[] child = read(layout, entry);
                RegistryReference byDigest = new RegistryReference(target.registry(), target.repository(),
                        java.util.Optional.empty(), java.util.Optional.of(entry.digest()));
                pushImage(layout, entry, child, byDigest, client, uploader, blobs);
            }
            putManifest(client, target, manifest, bytes);
        } else {
            pushImage(layout, manifest, bytes, target, client, uploader, blobs);
        }
        RegistryReference pushed = target.withDigest(manifest.digest());
        log.info("Pushed " + pushed + " (" + countOf(blobs, PushResult.Outcome.UPLOADED) + " blobs uploaded, "
                + countOf(blobs, PushResult.Outcome.MOUNTED) + " mounted, " + countOf(blobs, PushResult.Outcome.PRESENT)
                + " already there)");
        return new PushResult(pushed, manifest, blobs);
    }

    private void pushImage(OciLayout layout, Descriptor descriptor, byte[] bytes, RegistryReference target,
            RegistryClient client, BlobUploader uploader, List<PushResult.BlobPush> blobs) {
        if (!OciMediaTypes.MANIFESTS.contains(descriptor.mediaType())) {
            throw new OciFormatException("Cannot push " + descriptor.digest() + " of " + layout + ": its media type "
                    + descriptor.mediaType() + " is neither an image manifest nor an index");
        }
        OciManifest manifest = OciJson.read(bytes, OciManifest.class, "the manifest " + descriptor.digest() + " in "
                + layout);
        List<Descriptor> content = new ArrayList<>(manifest.layers());
        content.add(manifest.config());
        for (Descriptor blob : content) {
            Path file = blobFile(layout, blob);
            blobs.add(new PushResult.BlobPush(blob, uploader.upload(target.repository(), blob, file)));
        }
        putManifest(client, target, descriptor, bytes);
    }

    private static void putManifest(RegistryClient client, RegistryReference target, Descriptor manifest,
            byte[] bytes) {
        Digest stored = client.putManifest(target, manifest.mediaType(), bytes);
        if (!stored.equals(manifest.digest())) {
            throw new OciFormatException("The manifest pushed as " + target + " has the digest " + stored
                    + ", not its descriptor's " + manifest.digest() + ": the layout is damaged");
        }
    }

    private static Path blobFile(OciLayout layout, Descriptor blob) {
        Path file = layout.blobPath(blob.digest());
        try {
            if (!Files.isRegularFile(file) || Files.size(file) != blob.size()) {
                throw new OciFormatException(layout + " lacks the blob " + blob.digest() + " of " + blob.size()
                        + " bytes (" + blob.mediaType() + ") that the manifest names: the layout is incomplete;"
                        + " export the image again");
            }
        } catch (IOException e) {
            throw new JetpackException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    private static byte[] read(OciLayout layout, Descriptor descriptor) {
        try {
            return layout.readBlob(descriptor);
        } catch (IOException e) {
            throw new JetpackException("Cannot read " + descriptor.digest() + " from " + layout + ": "
                    + e.getMessage(), e);
        }
    }

    static void requireTag(RegistryReference target) {
        if (target.tag().isEmpty() || target.digest().isPresent()) {
            throw new RegistryException("Cannot push to " + target + ": a push needs a tag to put the manifest"
                    + " under and no digest (HOST/REPOSITORY:TAG); the digest is what the image's content gives");
        }
    }

    private static long countOf(List<PushResult.BlobPush> blobs, PushResult.Outcome outcome) {
        return blobs.stream().filter(blob -> blob.outcome() == outcome).count();
    }
}
