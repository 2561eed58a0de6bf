package dev.jetpack.engine.fetch.http;

import java.net.URI;

/**
 * The answer to a conditional request ({@link HttpFetcher#open(URI, java.util.Optional, String,
 * dev.jetpack.engine.ProgressListener)}): either the server's copy is still the one the validators describe, or a
 * new body to read.
 */
public sealed interface ConditionalBody {
    /** HTTP 304: what the caller kept from the earlier answer is current; no body was sent. */
    record NotModified(URI uri) implements ConditionalBody {
    }

    /** HTTP 200: a (new) body to read once; the caller closes it. */
    record Modified(HttpStream body) implements ConditionalBody {
    }
}
