package dev.jetpack.engine.fetch;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.fetch.trust.SignatureVerifier;
import dev.jetpack.engine.fetch.trust.TrustStore;
import dev.jetpack.engine.store.ImageStore;
import dev.jetpack.engine.store.ImportOptions;
import dev.jetpack.engine.store.StoredImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Imports an ACI without discovery (Jetpack's {@code import}): from a location (a path, a {@code file:} URL or an
 * {@code http(s):} URL) or from a stream, optionally with a detached signature given separately and a name the
 * image must carry. Without either, a URL is fetched as {@link ImageFetcher} fetches it (its {@code .asc}
 * verified if present) and a local file is trusted like the user's own.
 *
 * <p>With a signature, the signature covers the ACI's bytes as a whole, so a URL or a stream is first saved to a
 * temporary file in the store's work area; the store then keeps that file by a hard link. The signature must
 * verify for the given name, or for the manifest's name when none is given, before the image becomes visible.
 */
public final class ImageImporter {
    private static final String STANDARD_INPUT = "standard input";

    private final ImageStore store;
    private final Supplier<TrustStore> trustStore;
    private final ProgressListener progress;
    private final EngineLog log;

    /**
     * @param trustStore the keys signatures are checked against when the options name none
     * @param progress   receives download progress when the options have no listener
     */
    public ImageImporter(ImageStore store, Supplier<TrustStore> trustStore, ProgressListener progress,
            EngineLog log) {
        this.store = store;
        this.trustStore = trustStore;
        this.progress = progress;
        this.log = log;
    }

    /**
     * Imports the ACI at {@code location}.
     *
     * @param signature where the ACI's detached signature is (path or URL)
     * @param name      when given, the image's manifest must carry this name
     */
    public StoredImage importFrom(String location, Optional<String> signature, Optional<String> name,
            FetchOptions options) {
        FetchOptions complete = options.completedWith(progress, trustStore);
        boolean url = Locations.isUrl(location);
        if (signature.isEmpty() && name.isEmpty()) {
            return url ? fetcher().fetch(location, complete)
                    : store.importAci(Locations.localPath(location), importOptions(location, signature, name,
                            complete, null));
        }
        if (!url) {
            Path file = Locations.localPath(location);
            return store.importAci(file, importOptions(location, signature, name, complete, file));
        }
        Path download = store.workArea().newFile(".aci");
        try {
            new Locations(complete, log).download(location, download);
            return store.importAci(download, importOptions(location, signature, name, complete, download)
                    .toBuilder().linkSourceFile(true).build());
        } finally {
            store.workArea().deleteQuietly(download);
        }
    }

    /**
     * Imports the ACI read from {@code in} (e.g. standard input); see
     * {@link #importFrom(String, Optional, Optional, FetchOptions)}.
     */
    public StoredImage importFrom(InputStream in, Optional<String> signature, Optional<String> name,
            FetchOptions options) {
        FetchOptions complete = options.completedWith(progress, trustStore);
        if (signature.isEmpty()) {
            return store.importAci(in, importOptions(STANDARD_INPUT, signature, name, complete, null));
        }
        Path spooled = store.workArea().newFile(".aci");
        try {
            Files.copy(in, spooled);
            return store.importAci(spooled, importOptions(STANDARD_INPUT, signature, name, complete, spooled)
                    .toBuilder().linkSourceFile(true).build());
        } catch (IOException e) {
            throw new JetpackException("Cannot save the image read from standard input to " + spooled + ": "
                    + e.getMessage() + ". Check free space in the store " + store.root() + ".", e);
        } finally {
            store.workArea().deleteQuietly(spooled);
        }
    }

    /** The name check and, with a signature, the signature check, both before the image becomes visible. */
    private ImportOptions importOptions(String source, Optional<String> signature, Optional<String> name,
            FetchOptions options, Path aciFile) {
        byte[] armored = signature.map(location -> new Locations(options, log).readSignature(location)).orElse(null);
        SignatureVerifier verifier = armored == null ? null : new SignatureVerifier(options.trustStore().orElseThrow());
        return ImportOptions.builder().source(source)
                .dependencyResolver(fetcher().dependencyResolver(options))
                .readerOptions(options.readerOptions())
                .check((id, manifest) -> {
                    if (name.isPresent() && !name.get().equals(manifest.name())) {
                        throw new FetchException("The image from " + source + " is named " + manifest.name()
                                + ", not " + name.get() + " as asked. Check the location, or give the image's"
                                + " real name.");
                    }
                    if (verifier != null) {
                        verify(verifier, name.orElse(manifest.name()), aciFile, armored);
                        log.info("Signature of " + source + " verified for " + name.orElse(manifest.name()));
                    }
                }).build();
    }

    private static void verify(SignatureVerifier verifier, String imageName, Path aciFile, byte[] signature) {
        try (InputStream in = Files.newInputStream(aciFile)) {
            verifier.verify(imageName, in, signature);
        } catch (IOException e) {
            throw new FetchException("Cannot read " + aciFile + " to verify its signature: " + e.getMessage(), e);
        }
    }

    private ImageFetcher fetcher() {
        return new ImageFetcher(store, log);
    }
}
