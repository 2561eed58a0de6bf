package dev.jetpack.engine.oci.registry;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.oci.Descriptor;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Gets one blob into a repository with as little transfer as the registry allows: nothing if it has the blob
 * (HEAD), a cross-repository mount if a mount source has it, else an upload: one PUT for blobs up to the
 * monolithic limit, PATCH chunks (inclusive Content-Range, each reply's Location followed, {@code _state} kept)
 * then the PUT for larger ones.
 *
 * <p>A failed upload's session is cancelled (DELETE), so the registry keeps nothing partial, and the blob only
 * exists once the final PUT, whose digest the registry checks, succeeded. Failures that may pass (a cut
 * connection, a server error) are tried again, from the start, up to {@link PushOptions#attempts()} times.
 */
final class BlobUploader {
    private final RegistryClient client;
    private final PushOptions options;
    private final EngineLog log;
    private final ProgressListener progress;

    BlobUploader(RegistryClient client, PushOptions options, EngineLog log) {
        this.client = client;
        this.options = options;
        this.log = log;
        this.progress = options.registry().progress();
    }

    /** Gets {@code blob}, whose bytes are {@code file}, into {@code repository}. */
    PushResult.Outcome upload(String repository, Descriptor blob, Path file) {
        String what = "blob " + blob.digest() + " (" + blob.size() + " bytes)";
        for (int attempt = 1;; attempt++) {
            try {
                return attempt(repository, blob, file, what);
            } catch (RegistryException e) {
                if (!e.isTransient() || attempt >= options.attempts()) {
                    throw new RegistryException("Pushing " + what + " to " + client.registry() + "/" + repository
                            + " failed" + (attempt > 1 ? " after " + attempt + " attempts" : "") + ": "
                            + e.getMessage() + ". The registry keeps nothing of the failed upload; pushing again"
                            + " sends only what it lacks", e.status().orElse(-1), e);
                }
                log.warn("Pushing " + what + " failed (attempt " + attempt + " of " + options.attempts() + "): "
                        + e.getMessage() + "; trying again");
            }
        }
    }

    private PushResult.Outcome attempt(String repository, Descriptor blob, Path file, String what) {
        Scope scope = Scope.push(repository);
        if (client.blobExists(repository, blob.digest(), scope)) {
            log.debug("The registry has " + what + " already");
            return PushResult.Outcome.PRESENT;
        }
        Optional<RegistryClient.UploadStart> started = Optional.empty();
        for (String source : options.mountFrom()) {
            if (!source.equals(repository) && client.blobExists(source, blob.digest(), scope.andPull(source))) {
                RegistryClient.UploadStart start = client.startUpload(repository, blob.digest(), Optional.of(source));
                if (start instanceof RegistryClient.UploadStart.Mounted) {
                    log.info("Mounted " + what + " from " + source);
                    return PushResult.Outcome.MOUNTED;
                }
                started = Optional.of(start);
                break;
            }
        }
        URI location = ((RegistryClient.UploadStart.Session) started.orElseGet(() ->
                client.startUpload(repository, blob.digest(), Optional.empty()))).location();
        String task = "Pushing " + what;
        try {
            if (blob.size() <= options.monolithicLimit()) {
                client.completeUpload(location, repository, blob.digest(), () -> wholeFile(file), blob.size(), what);
            } else {
                location = chunks(location, repository, blob, file, what, task);
                client.completeUpload(location, repository, blob.digest(), HttpRequest.BodyPublishers::noBody, 0, what);
            }
            progress.progress(task, blob.size(), blob.size());
            log.info("Pushed " + what);
            return PushResult.Outcome.UPLOADED;
        } catch (RuntimeException e) {
            client.cancelUpload(location, repository);
            throw e;
        } finally {
            progress.finished(task);
        }
    }

    private URI chunks(URI location, String repository, Descriptor blob, Path file, String what, String task) {
        URI next = location;
        try (InputStream in = Files.newInputStream(file)) {
            for (long offset = 0; offset < blob.size(); ) {
                byte[] chunk = in.readNBytes((int) Math.min(options.chunkSize(), blob.size() - offset));
                if (chunk.length == 0) {
                    throw new RegistryException("The file " + file + " of " + what + " is shorter than its descriptor"
                            + " says: the OCI layout is damaged; export the image again");
                }
                next = client.uploadChunk(next, repository, () -> HttpRequest.BodyPublishers.ofByteArray(chunk),
                        offset, chunk.length, what);
                offset += chunk.length;
                progress.progress(task, offset, blob.size());
            }
        } catch (IOException e) {
            throw new RegistryException("Cannot read " + file + " (" + what + "): " + e.getMessage(), e);
        }
        return next;
    }

    private static HttpRequest.BodyPublisher wholeFile(Path file) {
        try {
            return HttpRequest.BodyPublishers.ofFile(file);
        } catch (FileNotFoundException e) {
            throw new UncheckedIOException("the blob file " + file + " is gone", e);
        }
    }
}
