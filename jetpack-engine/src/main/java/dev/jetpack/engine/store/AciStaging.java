package dev.jetpack.engine.store;

import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.aci.AciReader;
import dev.jetpack.engine.aci.ReaderOptions;
import dev.jetpack.engine.io.TeeInputStream;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.ManifestCodec;
import dev.jetpack.engine.manifest.ManifestValidator;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.BiFunction;

/**
 * The first half of an import ({@link ImageStore#stage}): an ACI read into a private staging workspace in one
 * pass. The bytes are kept as {@code image.aci} exactly as they come (or hard-linked from the source file) while
 * the reader decompresses, hashes and unpacks them; the manifest is then validated. A failure leaves nothing but
 * a workspace whose lock is free, which the next cleanup removes.
 */
final class AciStaging {
    private final StagingArea staging;
    private final BiFunction<String, IOException, StoreException> importFailure;

    /** @param importFailure the store's message for a failed import from a source, which names the disk when full */
    AciStaging(StagingArea staging, BiFunction<String, IOException, StoreException> importFailure) {
        this.staging = staging;
        this.importFailure = importFailure;
    }

    StagedImage stage(InputStream aci, Path linkFrom, String source, ReaderOptions readerOptions) {
        StagingArea.Workspace workspace = null;
        boolean staged = false;
        try {
            workspace = staging.create("import");
            Path aciFile = workspace.directory().resolve(ImageStore.ACI_FILE);
            Path ownRootfs = workspace.directory().resolve(ImageStore.OWN_ROOTFS);
            AciReader.Result result;
            if (linkFrom != null && tryLink(linkFrom, aciFile)) {
                // Read the linked inode itself, so the bytes hashed are the bytes kept even if the source path
                // is replaced meanwhile.
                try (InputStream linked = Files.newInputStream(aciFile)) {
                    result = AciReader.extract(linked, ownRootfs, readerOptions);
                }
            } else {
                try (InputStream in = aci != null ? notClosing(aci) : Files.newInputStream(linkFrom);
                        OutputStream copy = new BufferedOutputStream(Files.newOutputStream(aciFile,
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 65536)) {
                    TeeInputStream tee = new TeeInputStream(in, copy);
                    try {
                        result = AciReader.extract(tee, ownRootfs, readerOptions);
                    } catch (JetpackException e) {
                        // The reader sees a failed write of the copy as a failed read ("truncated"): report the write.
                        throw tee.copyFailure().map(failure -> importFailure.apply(source, new IOException("writing "
                                + aciFile + " failed: " + failure.getMessage(), failure))).orElseThrow(() -> e);
                    }
                    // Whatever the reader did not need (e.g. padding after the tar's end) still belongs to the ACI.
                    tee.drain();
                }
            }
            String manifestSource = "of the image from " + source;
            ImageManifest manifest = ManifestValidator.requireValid(
                    ManifestCodec.read(result.manifestJson(), manifestSource), manifestSource);
            StagedImage image = new StagedImage(workspace, result.id(), manifest, result.manifestJson(), source);
            staged = true;
            return image;
        } catch (IOException e) {
            throw importFailure.apply(source, e);
        } finally {
            if (!staged && workspace != null) {
                closeQuietly(workspace);
            }
        }
    }

    private static void closeQuietly(StagingArea.Workspace workspace) {
        try {
            workspace.close();
        } catch (IOException e) {
            // The failure being reported matters more; the next cleanup removes the directory.
        }
    }

    /** The caller's stream stays open: it is the caller's to close. */
    private static InputStream notClosing(InputStream in) {
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() {
            }
        };
    }

    static boolean tryLink(Path existing, Path link) {
        try {
            Files.createLink(link, existing);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false; // another file system, or no hard links there: copy instead
        }
    }
}
