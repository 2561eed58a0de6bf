package dev.jetpack.engine.fetch.http;

import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.fetch.FetchException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;

/**
 * The body of a successful HTTP response, read once from the network (nothing is buffered beyond the chunk
 * in hand). Reads throw {@link FetchException} (unchecked, so that a decompressor or unpacker reading this
 * stream passes it on unchanged) when the server stalls for longer than the read timeout, when the connection
 * breaks, or when the body ends before its {@code Content-Length}.
 */
public final class HttpStream extends InputStream {
    private static final long PROGRESS_STEP = 256 * 1024;

    private final URI uri;
    private final String what;
    private final long contentLength;
    private final BodySubscriberStream body;
    private final ProgressListener progress;
    private final Duration readTimeout;
    private long received;
    private long lastReported = -PROGRESS_STEP;
    private boolean finished;

    HttpStream(URI uri, String what, long contentLength, BodySubscriberStream body, ProgressListener progress,
            Duration readTimeout) {
        this.uri = uri;
        this.what = what;
        this.contentLength = contentLength;
        this.body = body;
        this.progress = progress;
        this.readTimeout = readTimeout;
    }

    /** The URL the body came from, after redirects. */
    public URI uri() {
        return uri;
    }

    /** The announced body size, or -1 when the server did not say. */
    public long contentLength() {
        return contentLength;
    }

    /** Bytes read so far. */
    public long received() {
        return received;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        int n;
        try {
            n = body.read(buffer, offset, length);
        } catch (BodySubscriberStream.StalledException e) {
            throw new FetchException(uri, -1, "Download of " + what + " from " + SafeUris.display(uri)
                    + " stalled: no data for " + readTimeout.toMillis() + " ms after " + received
                    + (contentLength >= 0 ? " of " + contentLength : "") + " bytes. The server or a proxy stopped"
                    + " sending; try again later, or raise the read timeout if the link is very slow.", e);
        } catch (IOException e) {
            throw new FetchException(uri, -1, "Download of " + what + " from " + SafeUris.display(uri)
                    + " broke off after " + received + (contentLength >= 0 ? " of " + contentLength : "")
                    + " bytes: " + e.getMessage() + ". Expected the complete body; try again, and if it keeps"
                    + " happening the server or a proxy is cutting the transfer.", e);
        }
        if (n < 0) {
            if (contentLength >= 0 && received != contentLength) {
                throw truncated();
            }
            report(true);
            return -1;
        }
        received += n;
        if (contentLength >= 0 && received > contentLength) {
            throw new FetchException(uri, -1, "Download of " + what + " from " + SafeUris.display(uri)
                    + " sent more than the announced Content-Length of " + contentLength + " bytes. The server"
                    + " is misbehaving; the download was discarded.", null);
        }
        report(false);
        return n;
    }

    private FetchException truncated() {
        return new FetchException(uri, -1, "Download of " + what + " from " + SafeUris.display(uri)
                + " is truncated: received " + received + " of the " + contentLength + " bytes the server"
                + " announced (Content-Length). The connection closed early; try again.", null);
    }

    private void report(boolean end) {
        if (end || received - lastReported >= PROGRESS_STEP) {
            lastReported = received;
            progress.progress(what, received, contentLength);
        }
        if (end && !finished) {
            finished = true;
            progress.finished(what);
        }
    }

    @Override
    public void close() {
        body.close();
        if (!finished) {
            finished = true;
            progress.finished(what);
        }
    }
}
