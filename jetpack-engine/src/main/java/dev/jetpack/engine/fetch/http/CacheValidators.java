package dev.jetpack.engine.fetch.http;

import java.net.http.HttpHeaders;
import java.util.Optional;

/**
 * What a server said identifies the version of a body it sent: its {@code ETag} and {@code Last-Modified}
 * headers. Sent back as {@code If-None-Match} / {@code If-Modified-Since}, they let the server answer
 * "304 Not Modified" instead of sending the body again.
 *
 * @param etag the ETag header as sent (quotes included), or null
 * @param lastModified the Last-Modified header as sent, or null
 */
public record CacheValidators(String etag, String lastModified) {
    public CacheValidators {
        if (etag == null && lastModified == null) {
            throw new IllegalArgumentException("validators need an ETag or a Last-Modified date");
        }
    }

    /** The validators in response headers; empty when the server sent neither (nothing to revalidate with). */
    static Optional<CacheValidators> of(HttpHeaders headers) {
        Optional<String> etag = headers.firstValue("ETag");
        Optional<String> lastModified = headers.firstValue("Last-Modified");
        if (etag.isEmpty() && lastModified.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CacheValidators(etag.orElse(null), lastModified.orElse(null)));
    }
}
