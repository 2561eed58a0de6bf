package dev.jetpack.engine.fetch.http;

import java.net.URI;
import java.nio.file.Path;

/**
 * What {@link HttpFetcher#download} produced.
 *
 * @param file the complete file (the requested target)
 * @param size its size in bytes
 * @param finalUri the URL the body came from, after redirects
 * @param notModified true when the server answered 304 and the cached copy was reused (no body transferred)
 */
public record DownloadResult(Path file, long size, URI finalUri, boolean notModified) {
}
