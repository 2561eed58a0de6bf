package dev.jetpack.engine.fetch;

import dev.jetpack.engine.fetch.discovery.DiscoveryOptions;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How {@link ImageFetcher} fetches.
 *
 * @param downloadDirectory where downloaded ACIs and signatures are kept (one file per URL, reused through HTTP
 *     caching on the next fetch); the store passes a directory of its own
 * @param discovery discovery settings (plain HTTP, os/arch defaults, page locations)
 * @param insecureSkipSignature accept a discovered image without a valid signature (logged as a warning)
 */
public record FetchOptions(Path downloadDirectory, DiscoveryOptions discovery, boolean insecureSkipSignature) {
    public FetchOptions {
        Objects.requireNonNull(downloadDirectory, "downloadDirectory");
        Objects.requireNonNull(discovery, "discovery");
    }

    /** Safe defaults: signatures required, https only. */
    public static FetchOptions into(Path downloadDirectory) {
        return new FetchOptions(downloadDirectory, DiscoveryOptions.defaults(), false);
    }

    public FetchOptions withDiscovery(DiscoveryOptions options) {
        return new FetchOptions(downloadDirectory, options, insecureSkipSignature);
    }

    public FetchOptions withInsecureSkipSignature(boolean skip) {
        return new FetchOptions(downloadDirectory, discovery, skip);
    }
}
