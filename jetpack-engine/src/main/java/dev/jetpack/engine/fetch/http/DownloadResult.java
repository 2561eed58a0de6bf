package dev.jetpack.engine.fetch.http;

import java.net.URI;
import java.nio.file.Path;

/**
 * What {@link HttpFetcher#download} produced.
 *
 * @param file the complete file (the requested target)
 * @param size its size in bytes
 * @param finalUri the URL the body came from, after redirects
 */
public record DownloadResult(Path file, long size, URI finalUri) {
}
