package dev.jetpack.engine.fetch;

import dev.jetpack.engine.aci.ReaderOptions;
import dev.jetpack.engine.fetch.discovery.DiscoveryOptions;
import java.util.Objects;

/**
 * How {@link ImageDownloader} downloads. {@link ImageFetcher} derives these from its {@link FetchOptions}.
 *
 * @param discovery discovery settings (plain HTTP, os/arch defaults, page locations)
 * @param insecureSkipSignature accept a discovered image without a valid signature (logged as a warning)
 * @param requireSignature a URL must have a signature ({@code URL.asc}) too; discovered images always must
 * @param readerOptions limits and permissions for unpacking the downloaded image
 */
public record DownloadOptions(DiscoveryOptions discovery, boolean insecureSkipSignature, boolean requireSignature,
        ReaderOptions readerOptions) {
    public DownloadOptions {
        Objects.requireNonNull(discovery, "discovery");
        Objects.requireNonNull(readerOptions, "readerOptions");
    }

    /** Safe defaults: signatures required for discovery and checked when a URL has one, https only. */
    public static DownloadOptions defaults() {
        return new DownloadOptions(DiscoveryOptions.defaults(), false, false, ReaderOptions.untrusted());
    }

    public DownloadOptions withDiscovery(DiscoveryOptions options) {
        return new DownloadOptions(options, insecureSkipSignature, requireSignature, readerOptions);
    }

    public DownloadOptions withInsecureSkipSignature(boolean skip) {
        return new DownloadOptions(discovery, skip, requireSignature, readerOptions);
    }

    public DownloadOptions withRequireSignature(boolean require) {
        return new DownloadOptions(discovery, insecureSkipSignature, require, readerOptions);
    }

    public DownloadOptions withReaderOptions(ReaderOptions options) {
        return new DownloadOptions(discovery, insecureSkipSignature, requireSignature, options);
    }
}
