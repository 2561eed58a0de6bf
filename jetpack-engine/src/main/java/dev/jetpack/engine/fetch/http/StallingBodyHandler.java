package dev.jetpack.engine.fetch.http;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

/**
 * Response bodies as one-pass streams whose reads give up after a stall ({@link BodySubscriberStream}), for
 * HTTP clients other than {@link HttpFetcher} that stream large bodies (the OCI registry client). A stalled read
 * throws an {@link java.io.InterruptedIOException} and cancels the exchange.
 */
public final class StallingBodyHandler implements HttpResponse.BodyHandler<InputStream> {
    private final Duration stallTimeout;

    public StallingBodyHandler(Duration stallTimeout) {
        this.stallTimeout = Objects.requireNonNull(stallTimeout, "stallTimeout");
    }

    @Override
    public HttpResponse.BodySubscriber<InputStream> apply(HttpResponse.ResponseInfo info) {
        return new BodySubscriberStream(stallTimeout);
    }
}
