package dev.jetpack.engine;

import dev.jetpack.engine.aci.AciWriter;
import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.base.BaseImageMaker;
import dev.jetpack.engine.io.AtomicFiles;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.ManifestCodec;
import dev.jetpack.engine.manifest.ManifestValidator;
import dev.jetpack.engine.runtime.ContainerException;
import dev.jetpack.engine.runtime.ContainerRuntime;
import dev.jetpack.engine.runtime.Runtimes;
import dev.jetpack.engine.store.ImageStore;
import dev.jetpack.engine.store.StoredImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The engine's user-level operations, one method each, as the command line and the Maven plugin offer them.
 *
 * <p>This class only wires the packages together (store, fetch, build, runtime, aci): every rule lives in the
 * package that owns it, so both faces behave the same by construction. The store is opened on first use, so
 * that e.g. {@link #config()} works even where the store cannot be created.
 */
public final class Jetpack {
    private final JetpackSettings settings;
    private final EngineLog log;
    private final ProgressListener progress;
    private ImageStore store;

    /**
     * @param settings store location, runtime and compression
     * @param log      receives what the operations do (the engine never prints)
     * @param progress receives progress of long work (downloads, packing)
     */
    public Jetpack(JetpackSettings settings, EngineLog log, ProgressListener progress) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.log = Objects.requireNonNull(log, "log");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    public JetpackSettings settings() {
        return settings;
    }

    /** The image store at the configured location, opened (and created) on first use. */
    public synchronized ImageStore store() {
        if (store == null) {
            store = ImageStore.open(settings.storeLocation(), log);
        }
        return store;
    }

    /** All stored images, ordered by ID. */
    public List<StoredImage> list() {
        return store().list();
    }

    /**
     * The stored image a user means by {@code image}: a full ID, an unambiguous ID prefix, or
     * {@code NAME[:VERSION][,LABEL=VALUE...]} (the newest match).
     *
     * @throws dev.jetpack.engine.store.ImageNotFoundException when nothing matches
     * @throws dev.jetpack.engine.store.StoreException         when an ID prefix is ambiguous (candidates listed)
     */
    public StoredImage find(String image) {
        return store().find(image);
    }

    /**
     * Removes the image {@code image} names from the store; refused while another stored image depends on it.
     *
     * @return the removed image
     */
    public StoredImage destroy(String image) {
        StoredImage found = find(image);
        store().remove(found.id());
        return found;
    }

    /**
     * Writes a stored image as an ACI to {@code out}: the ACI exactly as it was stored, or with {@code flat} the
     * rendered tree (dependencies applied) as a self-contained ACI without dependencies and pathWhitelist,
     * compressed with the configured compression.
     *
     * @return the ID of the image written (a flat export has an ID of its own)
     */
    public ImageId export(String image, boolean flat, OutputStream out) {
        StoredImage found = find(image);
        try {
            if (!flat) {
                try (InputStream in = Files.newInputStream(found.aciFile())) {
                    in.transferTo(out);
                }
                out.flush();
                return found.id();
            }
            return AciWriter.write(flatManifest(found), found.rootfs(), out, writerOptions(null)).id();
        } catch (IOException e) {
            throw new JetpackException("Cannot export " + found.describe() + ": " + e.getMessage()
                    + ". Check that the output can be written.", e);
        }
    }

    /** {@link #export(String, boolean, OutputStream)} into {@code file}, which appears complete or not at all. */
    public ImageId export(String image, boolean flat, Path file) {
        StoredImage found = find(image);
        ImageId[] written = new ImageId[1];
        try {
            AtomicFiles.write(file, out -> written[0] = export(found.id().value(), flat, out));
        } catch (IOException e) {
            throw new JetpackException("Cannot export " + found.describe() + " to " + file + ": " + e.getMessage()
                    + ". Check that the directory exists and is writable.", e);
        }
        log.info("Exported " + (flat ? "flat " : "") + found.describe() + " to " + file);
        return written[0];
    }

    private static byte[] flatManifest(StoredImage image) {
        ImageManifest flat = image.manifest().withDependencies(List.of()).withPathWhitelist(List.of());
        return ManifestCodec.write(flat, false);
    }

    /**
     * Makes a base image, the counterpart of Jetpack's makeaci.sh without fakeroot: {@code rootfs} is a rootfs
     * tarball (plain, gzip, bzip2 or xz) or a directory; {@code manifest} a manifest file, which must be a valid
     * image manifest and goes into the ACI byte for byte. The output is written atomically with the configured
     * compression.
     *
     * @param timestamp for a reproducible image: every entry's time; empty keeps the tarball's or files' times
     */
    public AciWriter.Result makeAci(Path rootfs, Path manifest, Path output, Optional<Instant> timestamp) {
        byte[] manifestJson;
        try {
            manifestJson = Files.readAllBytes(manifest);
        } catch (NoSuchFileException e) {
            throw new JetpackException("The manifest " + manifest + " does not exist. Give the path of the image's"
                    + " manifest JSON file.", e);
        } catch (IOException e) {
            throw new JetpackException("Cannot read the manifest " + manifest + ": " + e.getMessage(), e);
        }
        ManifestValidator.requireValid(ManifestCodec.read(manifestJson, manifest.toString()), manifest.toString());
        AciWriter.Options options = writerOptions(timestamp.orElse(null));
        AciWriter.Result result;
        if (Files.isDirectory(rootfs)) {
            result = BaseImageMaker.fromDirectory(rootfs, manifestJson, output, options);
        } else if (Files.isRegularFile(rootfs)) {
            result = BaseImageMaker.fromTarball(rootfs, manifestJson, output, options);
        } else {
            throw new JetpackException("The rootfs " + rootfs + " is neither a tarball nor a directory"
                    + (Files.exists(rootfs, LinkOption.NOFOLLOW_LINKS) ? "" : " (it does not exist)")
                    + ". Give a rootfs tarball (tar, tar.gz, tar.bz2, tar.xz) or a directory.");
        }
        log.info("Made base image " + result.id() + " in " + output + " (" + result.fileSize() + " bytes)");
        return result;
    }

    private AciWriter.Options writerOptions(Instant timestamp) {
        return AciWriter.Options.defaults()
                .withCompression(settings.compression(), -1)
                .withFixedTimestamp(timestamp)
                .withProgress(progress)
                .withLog(log);
    }

    /**
     * The effective settings, with the runtime resolved as a build would resolve it (this probes the
     * runtimes once).
     */
    public Configuration config() {
        List<Configuration.RuntimeStatus> statuses = Runtimes.all().stream()
                .map(runtime -> new Configuration.RuntimeStatus(runtime.name(), runtime.unavailableReason()))
                .toList();
        Optional<String> resolved;
        Optional<String> problem;
        try {
            resolved = Optional.of(selectRuntime(EngineLog.SILENT).name());
            problem = Optional.empty();
        } catch (ContainerException e) {
            resolved = Optional.empty();
            problem = Optional.of(e.getMessage());
        }
        return new Configuration(settings.storeLocation().toAbsolutePath().normalize(), settings.runtime(), resolved,
                problem, statuses, settings.compression());
    }

    private ContainerRuntime selectRuntime(EngineLog runtimeLog) {
        return Runtimes.select(settings.runtime(), runtimeLog);
    }
}
