package dev.jetpack.engine.oci;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.aci.AciFormatException;
import dev.jetpack.engine.aci.AciWriter;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.Ownership;
import dev.jetpack.engine.aci.WriterOptions;
import dev.jetpack.engine.fetch.FetchException;
import dev.jetpack.engine.fetch.FetchOptions;
import dev.jetpack.engine.fetch.FetchPolicy;
import dev.jetpack.engine.fetch.FetchRecords;
import dev.jetpack.engine.fetch.ImageSource;
import dev.jetpack.engine.manifest.AcSyntax;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.oci.registry.ImagePuller;
import dev.jetpack.engine.oci.registry.PlatformSelector;
import dev.jetpack.engine.oci.registry.RegistryClient;
import dev.jetpack.engine.oci.registry.RegistryOptions;
import dev.jetpack.engine.oci.registry.RegistryReference;
import dev.jetpack.engine.oci.registry.RemoteImage;
import dev.jetpack.engine.manifest.ManifestCodec;
import dev.jetpack.engine.manifest.ManifestValidator;
import dev.jetpack.engine.store.ImageNotFoundException;
import dev.jetpack.engine.store.ImageStore;
import dev.jetpack.engine.store.ImportOptions;
import dev.jetpack.engine.store.StoredImage;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Gets an OCI image ({@code oci:DIR[:TAG]}, {@code docker-archive:FILE}, {@code docker://HOST/REPO:TAG}) into the
 * store as an appc image, so that it can be a build's parent: the manifest is resolved to the host's platform,
 * the layers are applied in order by {@link LayerApplier} (each checked against its diff ID), the config becomes
 * an appc manifest ({@link OciToAppcManifest}), and the tree is written as an ACI and imported.
 *
 * <p>The stored image is recorded under the image's config digest (which fixes the config and every layer) and
 * name, and under the reference as typed: the same image is never applied twice, and a registry reference is
 * answered from what it gave last time without asking the registry (offline, with {@link FetchPolicy#PREFER_STORE}
 * and always for a digest); {@link FetchPolicy#REFRESH} resolves the tag again and applies layers only for a new
 * config. Whatever fails leaves nothing in the store.
 */
public final class OciImageImporter {
    private final ImageStore store;
    private final FetchRecords records;
    private final EngineLog log;

    public OciImageImporter(ImageStore store, EngineLog log) {
        this.store = store;
        this.records = FetchRecords.of(store, log);
        this.log = log;
    }

    /**
     * Imports {@code source}, one of {@link ImageSource.OciLayoutSource}, {@link ImageSource.DockerArchive} or
     * {@link ImageSource.DockerRegistry}.
     *
     * @throws ImageNotFoundException offline, for a registry image never fetched
     * @throws OciFormatException     when the image breaks the image-spec or a layer breaks a safety rule
     */
    public StoredImage fetch(ImageSource source, FetchOptions options) {
        String referenceKey = "oci-reference\0" + source;
        if (source instanceof ImageSource.DockerRegistry registry
                && (options.offline() || options.policy() == FetchPolicy.PREFER_STORE
                || registry.reference().digest().isPresent())) {
            // As for names: what this reference gave before is used without asking the registry, unless a
            // refresh is asked for (a digest never changes what it names).
            Optional<StoredImage> known = records.lookup(referenceKey).flatMap(entry -> store.get(entry.id()));
            if (known.isPresent()) {
                log.info("Image " + source + " is in the store as " + known.get().describe() + "; not pulled again");
                return known.get();
            }
            if (options.offline()) {
                throw new ImageNotFoundException("Cannot fetch " + source + ": fetching is offline and this image"
                        + " was never fetched into the store " + store.root() + ". Fetch it once while online.");
            }
        }
        OciImage image;
        try {
            image = read(source, options);
        } catch (IOException e) {
            throw new FetchException("Cannot read the image " + source + ": " + e.getMessage(), e);
        }
        String contentKey = "oci-image\0" + image.repository() + "\0" + image.tag().orElse("") + "\0"
                + image.configDigest();
        Optional<StoredImage> known = records.lookup(contentKey).flatMap(entry -> store.get(entry.id()));
        if (known.isPresent()) {
            log.info("Image " + source + " (config " + image.configDigest() + ") is already in the store as "
                    + known.get().describe() + "; its layers are not applied again");
            records.remember(referenceKey, known.get(), Optional.empty(), source.toString());
            return known.get();
        }
        StoredImage stored = build(image, options);
        records.remember(contentKey, stored, Optional.empty(), source.toString());
        records.remember(referenceKey, stored, Optional.empty(), source.toString());
        return stored;
    }

    private OciImage read(ImageSource source, FetchOptions options) throws IOException {
        if (source instanceof ImageSource.OciLayoutSource layout) {
            return OciLayoutImages.read(layout.directory(), layout.tag(), PlatformSelector.host());
        }
        if (source instanceof ImageSource.DockerArchive archive) {
            return DockerArchiveImages.read(archive.file(), archive.reference());
        }
        RegistryReference reference = ((ImageSource.DockerRegistry) source).reference();
        RegistryClient client = new RegistryClient(reference, RegistryOptions.builder().http(options.http())
                .progress(options.progress()).build(), log);
        RemoteImage remote = new ImagePuller(client).resolve(reference, PlatformSelector.host());
        List<OciImage.Layer> layers = new java.util.ArrayList<>();
        for (int i = 0; i < remote.manifest().layers().size(); i++) {
            Descriptor layer = remote.manifest().layers().get(i);
            layers.add(new OciImage.Layer(layer.mediaType(), "layer " + (i + 1) + " (" + layer.digest() + ") of "
                    + source, () -> client.openBlob(remote.reference(), layer)));
        }
        return new OciImage(source.toString(), reference.name(), reference.tag(),
                Optional.of(remote.manifestDescriptor().digest()), remote.manifest().config().digest(),
                remote.config(), layers);
    }

    /** Applies the layers into a fresh tree, writes it as an ACI and imports that; removes both afterwards. */
    private StoredImage build(OciImage image, FetchOptions options) {
        Path work = store.workArea().newDirectory();
        try {
            Path rootfs = Files.createDirectory(work.resolve("rootfs"));
            // Layers rarely list the root directory itself: without this it would carry the time of the import,
            // and the same OCI image would get another image ID on every import (the applier puts a lower
            // directory's time back after its children change, so this time stays unless a layer sets it).
            Instant created = creationTime(image);
            Files.setLastModifiedTime(rootfs, FileTime.from(created));
            LayerApplier applier = new LayerApplier(rootfs, options.readerOptions().withDefaultLog(log));
            List<Digest> diffIds = image.config().rootfs().diffIds();
            for (int i = 0; i < image.layers().size(); i++) {
                OciImage.Layer layer = image.layers().get(i);
                options.progress().progress("Applying " + image.source(), i, image.layers().size());
                Digest diffId;
                try (InputStream blob = layer.opener().open()) {
                    diffId = applier.apply(blob);
                } catch (AciFormatException e) {
                    throw new OciFormatException("Refused " + layer.what() + ": " + e.getMessage(), e);
                } catch (IOException e) {
                    String full = dev.jetpack.engine.io.DiskSpace.hint(e, work);
                    throw new JetpackException("Cannot apply " + layer.what() + " in " + work + ": " + e + "."
                            + (full.isEmpty() ? " The layer is truncated or corrupt, or the disk failed; nothing was"
                            + " stored." : full), e);
                }
                if (!diffId.equals(diffIds.get(i))) {
                    throw new OciFormatException("Refused " + layer.what() + ": its uncompressed tar has the digest "
                            + diffId + " but the config's rootfs.diff_ids[" + i + "] says " + diffIds.get(i)
                            + ": the layer is not the one the config describes");
                }
            }
            options.progress().finished("Applying " + image.source());
            ImageManifest manifest = ManifestValidator.requireValid(OciToAppcManifest.map(image, log), image.source());
            Path aci = work.resolve("image.aci");
            AciWriter.write(ManifestCodec.write(manifest, false), rootfs, aci, WriterOptions.builder()
                    .compression(Compression.GZIP).ownership(Ownership.PRESERVE).manifestTimestamp(created)
                    .log(log).build());
            StoredImage stored = store.importAci(aci, ImportOptions.builder().source(image.source())
                    .readerOptions(options.readerOptions()).linkSourceFile(true).build());
            log.info("Imported " + image.source() + " (" + image.layers().size() + " layers, config "
                    + image.configDigest() + ") as " + stored.describe());
            return stored;
        } catch (IOException e) {
            String full = dev.jetpack.engine.io.DiskSpace.hint(e, work);
            throw new JetpackException("Cannot apply the layers of " + image.source() + " in " + work + ": " + e
                    + "." + (full.isEmpty() ? " Nothing was stored." : full), e);
        } finally {
            store.workArea().deleteQuietly(work);
        }
    }

    /** The config's {@code created} time, to the second; the epoch when it has none (as Jib writes). */
    static Instant creationTime(OciImage image) {
        String created = image.config().created();
        if (created != null && AcSyntax.isRfc3339(created)) {
            return OffsetDateTime.parse(created).toInstant().truncatedTo(ChronoUnit.SECONDS);
        }
        return Instant.EPOCH;
    }
}
