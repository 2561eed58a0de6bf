package dev.jetpack.engine.fetch;

import dev.jetpack.engine.fetch.discovery.DiscoveryOptions;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How {@link ImageDownloader} downloads. {@link ImageFetcher} derives these from its {@link FetchOptions}.
 *
 * @param downloadDirectory where downloaded ACIs and signatures are kept (one file per URL, reused through HTTP
 *     caching on the next download); the store passes a directory of its own
 * @param discovery discovery settings (plain HTTP, os/arch defaults, page locations)
 * @param insecureSkipSignature accept a discovered image without a valid signature (logged as a warning)
 */
public record DownloadOptions(Path downloadDirectory, DiscoveryOptions discovery, boolean insecureSkipSignature) {
    public DownloadOptions {
        Objects.requireNonNull(downloadDirectory, "downloadDirectory");
        Objects.requireNonNull(discovery, "discovery");
    }

    /** Safe defaults: signatures required, https only. */
    public static DownloadOptions into(Path downloadDirectory) {
        return new DownloadOptions(downloadDirectory, DiscoveryOptions.defaults(), false);
    }

    public DownloadOptions withDiscovery(DiscoveryOptions options) {
        return new DownloadOptions(downloadDirectory, options, insecureSkipSignature);
    }

    public DownloadOptions withInsecureSkipSignature(boolean skip) {
        return new DownloadOptions(downloadDirectory, discovery, skip);
    }
}
