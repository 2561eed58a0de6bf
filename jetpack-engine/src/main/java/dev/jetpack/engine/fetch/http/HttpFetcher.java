package dev.jetpack.engine.fetch.http;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.fetch.FetchException;
import dev.jetpack.engine.io.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Downloads over HTTP(S) with the JDK's HttpClient: proxies from the environment, connect and stall timeouts,
 * redirects checked hop by hop (https never silently becomes http), bodies handed out as a one-pass stream
 * (or, for small files, saved atomically), conditional requests with the validators of an earlier answer, and
 * one {@link FetchException} per failure that says what went wrong and what to do.
 */
public final class HttpFetcher {
    private final HttpSettings settings;
    private final EngineLog log;
    private final HttpClient client;

    public HttpFetcher(HttpSettings settings, EngineLog log) {
        this.settings = settings;
        this.log = log;
        this.client = settings.newClient();
    }

    public HttpSettings settings() {
        return settings;
    }

    /** {@link #download(URI, Path, String, ProgressListener)} describing the body by its URL. */
    public DownloadResult download(URI uri, Path target, ProgressListener progress) {
        return download(uri, target, SafeUris.display(uri), progress);
    }

    /**
     * Downloads {@code uri} to {@code target}: the body goes to a temporary sibling that is renamed over the
     * target only once it is complete and matches its Content-Length, so a failed or killed download never
     * leaves a partial target. For small files and for callers that need the file itself; images are streamed
     * into the store with {@link #open(URI, Optional, String, ProgressListener)} instead.
     *
     * @param what what the body is, for messages and progress, e.g. "ACI example.com/app:1.0"
     */
    public DownloadResult download(URI uri, Path target, String what, ProgressListener progress) {
        long[] size = new long[1];
        try (HttpStream in = open(uri, what, progress)) {
            AtomicFiles.writePath(target, temporary -> {
                try (OutputStream out = Files.newOutputStream(temporary)) {
                    size[0] = in.transferTo(out);
                }
            });
            return new DownloadResult(target, size[0], in.uri());
        } catch (IOException e) {
            throw new FetchException(uri, -1, "Could not save " + what + " from " + SafeUris.display(uri)
                    + " to " + target + ": " + e + ". Check that the directory is writable and the disk"
                    + " has space.", e);
        }
    }

    /**
     * Opens {@code uri} for one pass of reading (download, hash and unpack at once, in constant memory). The
     * caller must close the stream.
     */
    public HttpStream open(URI uri) {
        return open(uri, SafeUris.display(uri), ProgressListener.NONE);
    }

    /** {@link #open(URI)} with a description for messages and a progress listener. */
    public HttpStream open(URI uri, String what, ProgressListener progress) {
        ConditionalBody answer = open(uri, Optional.empty(), what, progress);
        return ((ConditionalBody.Modified) answer).body(); // nothing was asked conditionally, so a 304 was refused
    }

    /**
     * A conditional request: with {@code validators} (what an earlier answer for this URL carried, see
     * {@link HttpStream#validators()}) it sends If-None-Match / If-Modified-Since, and the server may answer
     * that the body did not change ({@link ConditionalBody.NotModified}, logged) instead of sending it. Without
     * validators it is a plain request. A body is handed out as a one-pass stream that the caller must close.
     *
     * @throws FetchException for anything but 200 (or 304 when validators were sent), with the status and URL
     */
    public ConditionalBody open(URI uri, Optional<CacheValidators> validators, String what,
            ProgressListener progress) {
        Map<String, String> headers = new LinkedHashMap<>();
        validators.ifPresent(known -> {
            if (known.etag() != null) {
                headers.put("If-None-Match", known.etag());
            }
            if (known.lastModified() != null) {
                headers.put("If-Modified-Since", known.lastModified());
            }
        });
        Answer answer = exchange(uri, headers, what);
        try {
            if (answer.response().statusCode() == 304 && validators.isPresent()) {
                answer.discardBody();
                log.info(what + " at " + SafeUris.display(answer.uri()) + " not modified (HTTP 304): no body"
                        + " transferred");
                return new ConditionalBody.NotModified(answer.uri());
            }
            requireOk(answer, what);
        } catch (RuntimeException e) {
            answer.discardBody();
            throw e;
        }
        return new ConditionalBody.Modified(new HttpStream(answer.uri(), what, contentLength(answer.response()),
                CacheValidators.of(answer.response().headers()), answer.body(), progress, settings.readTimeout()));
    }

    /**
     * Reads a small body completely (a discovery page, a public key), refusing bodies above {@code maxBytes}
     * so a hostile server cannot make us buffer gigabytes.
     */
    public byte[] fetchBytes(URI uri, String what, long maxBytes) {
        try (HttpStream in = open(uri, what, ProgressListener.NONE)) {
            if (in.contentLength() > maxBytes) {
                throw tooLarge(in.uri(), what, maxBytes);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer, 0, buffer.length)) >= 0) {
                out.write(buffer, 0, n);
                if (out.size() > maxBytes) {
                    throw tooLarge(in.uri(), what, maxBytes);
                }
            }
            return out.toByteArray();
        }
    }

    private static FetchException tooLarge(URI uri, String what, long maxBytes) {
        return new FetchException(uri, -1, SafeUris.display(uri) + " is larger than " + maxBytes + " bytes, the"
                + " most accepted for " + what + ". The URL probably points at the wrong thing.", null);
    }

    /** A response whose headers are in and whose body is still to be read. */
    private record Answer(URI uri, HttpResponse<InputStream> response) {
        BodySubscriberStream body() {
            return (BodySubscriberStream) response.body();
        }

        /**
         * Drops the body unread. A proxy's refusal of a CONNECT tunnel (407 to an https request) comes as a
         * response the JDK makes up, with no body at all.
         */
        void discardBody() {
            if (response.body() != null) {
                body().close();
            }
        }
    }

    private Answer exchange(URI original, Map<String, String> headers, String what) {
        URI current = original;
        for (int hop = 0;; hop++) {
            checkScheme(current, original, what);
            HttpRequest.Builder request = settings.request(current)
                    .timeout(settings.readTimeout())
                    .GET();
            headers.forEach(request::header);
            Answer answer = new Answer(current, send(request.build(), current, what));
            int status = answer.response().statusCode();
            if (!isRedirect(status)) {
                return answer;
            }
            answer.discardBody();
            HttpResponse<InputStream> response = answer.response();
            Optional<String> location = response.headers().firstValue("Location");
            if (location.isEmpty()) {
                throw new FetchException(current, status, SafeUris.display(current) + " answered HTTP " + status
                        + " (redirect) without a Location header while fetching " + what
                        + ". The server is misconfigured; use the final URL directly.", null);
            }
            if (hop >= settings.maxRedirects()) {
                throw new FetchException(current, status, "Too many redirects fetching " + what + " from "
                        + SafeUris.display(original) + ": gave up after " + settings.maxRedirects() + " at "
                        + SafeUris.display(current) + ". The server is probably redirecting in a loop.", null);
            }
            URI next;
            try {
                next = current.resolve(location.get().trim());
            } catch (IllegalArgumentException e) {
                throw new FetchException(current, status, SafeUris.display(current) + " redirects to an invalid"
                        + " URL '" + location.get() + "' while fetching " + what + ".", e);
            }
            if ("https".equalsIgnoreCase(current.getScheme()) && "http".equalsIgnoreCase(next.getScheme())
                    && !settings.allowPlainHttp()) {
                throw new FetchException(current, status, SafeUris.display(current) + " redirects to plain HTTP ("
                        + SafeUris.display(next) + ") while fetching " + what + ". Refused: an https URL must"
                        + " not be downgraded, because plain HTTP can be read and altered in transit. Fix the"
                        + " server, or allow plain HTTP explicitly if you accept that risk.", null);
            }
            log.debug("Redirect " + status + ": " + SafeUris.display(current) + " -> " + SafeUris.display(next));
            current = next;
        }
    }

    private void checkScheme(URI uri, URI original, String what) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return;
        }
        String via = uri.equals(original) ? "" : " (redirected from " + SafeUris.display(original) + ")";
        if (scheme.equals("http")) {
            if (!settings.allowPlainHttp()) {
                throw new FetchException(uri, -1, "Refusing plain HTTP URL " + SafeUris.display(uri) + via
                        + " for " + what + ": only https is allowed by default, because plain HTTP can be read"
                        + " and altered in transit. Use an https URL, or allow plain HTTP explicitly.", null);
            }
            log.warn("Fetching " + what + " over plain HTTP from " + SafeUris.display(uri) + via
                    + " (allowed by option): it can be read and altered in transit.");
            return;
        }
        throw new FetchException(uri, -1, "Cannot fetch " + what + " from " + SafeUris.display(uri) + via
                + ": only http and https URLs are fetched over the network.", null);
    }

    private HttpResponse<InputStream> send(HttpRequest request, URI uri, String what) {
        try {
            return client.send(request, info -> new BodySubscriberStream(settings.readTimeout()));
        } catch (HttpConnectTimeoutException e) {
            throw failure(uri, what, "could not connect within " + settings.connectTimeout().toMillis()
                    + " ms. Check the host name, your network and proxy settings (https_proxy, no_proxy)", e);
        } catch (HttpTimeoutException e) {
            throw failure(uri, what, "no response within " + settings.readTimeout().toMillis()
                    + " ms. The server is overloaded or stuck; try again later", e);
        } catch (SSLHandshakeException e) {
            throw failure(uri, what, "the server's TLS certificate was not accepted (" + e.getMessage()
                    + "). Certificates are checked against " + settings.tls().description() + " and must match"
                    + " the host name. If the server uses a private CA, add it to a Java trust store"
                    + " (javax.net.ssl.trustStore)", e);
        } catch (SSLException e) {
            throw failure(uri, what, "TLS failed: " + e.getMessage(), e);
        } catch (ConnectException e) {
            throw failure(uri, what, "connection refused or unreachable (" + e.getMessage() + "). Check the host,"
                    + " port and proxy settings", e);
        } catch (IOException e) {
            throw failure(uri, what, e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + ". Check the URL, your network and proxy settings", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(uri, what, "interrupted", e);
        }
    }

    private static FetchException failure(URI uri, String what, String reason, Throwable cause) {
        return new FetchException(uri, -1, "Could not fetch " + what + " from " + SafeUris.display(uri) + ": "
                + reason + ".", cause);
    }

    private void requireOk(Answer answer, String what) {
        int status = answer.response().statusCode();
        if (status == 200) {
            return;
        }
        if (status == 407) {
            throw new FetchException(answer.uri(), status, ProxyAuthentication.refused(
                    settings.proxyFor(answer.uri()), answer.uri()) + " (while fetching " + what + ").", null);
        }
        String url = SafeUris.display(answer.uri());
        String advice;
        if (status == 404 || status == 410) {
            advice = "Not found. Expected " + what + " at this URL: check the URL, image name, version and labels";
        } else if (status == 401 || status == 403) {
            advice = "Access refused. jetpack sends no credentials: make the file readable without them, or"
                    + " download it yourself and fetch the local file";
        } else if (status >= 500) {
            advice = "Server error while serving " + what + ": try again later or use another mirror";
        } else if (status == 304) {
            advice = "Not Modified, but no cached copy was asked about: the server or a proxy is misbehaving";
        } else {
            advice = "Expected HTTP 200 with " + what;
        }
        throw new FetchException(answer.uri(), status, "HTTP " + status + " from " + url + ". " + advice + ".",
                null);
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static long contentLength(HttpResponse<?> response) {
        return response.headers().firstValueAsLong("Content-Length").orElse(-1);
    }
}
