package dev.jetpack.engine.fetch.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body as an InputStream whose reads give up after a stall.
 *
 * <p>The JDK HttpClient's request timeout only covers the wait for the headers; its own body InputStream blocks
 * forever when a server stops sending mid-body. This subscriber takes one chunk at a time from the client
 * (so memory stays bounded whatever the body size) and a read that receives nothing for {@code stallTimeout}
 * cancels the exchange and throws {@link StalledException}.
 */
final class BodySubscriberStream extends InputStream implements HttpResponse.BodySubscriber<InputStream> {
    /** A read waited longer than the stall timeout for the next piece of the body. */
    static final class StalledException extends InterruptedIOException {
        private static final long serialVersionUID = 1L;

        StalledException(String message) {
            super(message);
        }
    }

    private static final Object END = new Object();

    private final Duration stallTimeout;
    private final BlockingQueue<Object> arrivals = new LinkedBlockingQueue<>();
    private final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();
    private Iterator<ByteBuffer> chunk;
    private ByteBuffer current;
    private boolean ended;
    private volatile boolean closed;

    BodySubscriberStream(Duration stallTimeout) {
        this.stallTimeout = stallTimeout;
    }

    @Override
    public CompletionStage<InputStream> getBody() {
        // The stream is usable at once; reading it is what waits for the data.
        return CompletableFuture.completedStage(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        if (!subscription.complete(s) || closed) {
            s.cancel();
            return;
        }
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        arrivals.offer(item);
    }

    @Override
    public void onError(Throwable throwable) {
        arrivals.offer(throwable);
    }

    @Override
    public void onComplete() {
        arrivals.offer(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("the response body stream is closed");
        }
        if (length == 0) {
            return 0;
        }
        while (current == null || !current.hasRemaining()) {
            if (chunk != null && chunk.hasNext()) {
                current = chunk.next();
                continue;
            }
            if (ended) {
                return -1;
            }
            if (chunk != null) {
                chunk = null;
                subscription.getNow(null).request(1);
            }
            takeNextChunk();
        }
        int n = Math.min(length, current.remaining());
        current.get(buffer, offset, n);
        return n;
    }

    @SuppressWarnings("unchecked")
    private void takeNextChunk() throws IOException {
        Object next;
        try {
            next = arrivals.poll(stallTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new InterruptedIOException("interrupted while waiting for the response body");
        }
        if (next == null) {
            close();
            throw new StalledException("no data received for " + stallTimeout.toMillis() + " ms");
        }
        if (next == END) {
            ended = true;
        } else if (next instanceof Throwable failure) {
            ended = true;
            throw failure instanceof IOException io ? io : new IOException(failure.getMessage(), failure);
        } else {
            chunk = ((List<ByteBuffer>) next).iterator();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Flow.Subscription s = subscription.getNow(null);
        if (s != null && !ended) {
            s.cancel();
        }
    }
}
