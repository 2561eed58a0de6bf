package dev.jetpack.engine.testing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP or HTTPS server on 127.0.0.1 and a random port, for tests of anything that downloads.
 *
 * <p>Routes match the exact request path (the query is ignored for matching and available to custom handlers);
 * anything unrouted answers 404. Every request is counted per path, and the last request's headers are kept,
 * so tests can assert e.g. that a second fetch sent If-None-Match and received no body. The HTTPS variant uses
 * a certificate generated for this server; only {@link #clientSslContext()} trusts it.
 */
public final class TestHttpServer implements AutoCloseable {
    /** Answers one request. */
    @FunctionalInterface
    public interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private static final String LAST_MODIFIED = "Wed, 01 Jan 2025 00:00:00 GMT";

    private final HttpServer server;
    private final ExecutorService executor;
    private final SelfSignedCertificate certificate;
    private final Map<String, Handler> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> bodies = new ConcurrentHashMap<>();
    private final Map<String, Headers> lastHeaders = new ConcurrentHashMap<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    private TestHttpServer(HttpServer server, SelfSignedCertificate certificate) {
        this.server = server;
        this.certificate = certificate;
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "test-http-server");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
        server.start();
    }

    /** A plain HTTP server. */
    public static TestHttpServer http() {
        try {
            return new TestHttpServer(HttpServer.create(loopback(), 0), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An HTTPS server with a freshly generated self-signed certificate for 127.0.0.1. */
    public static TestHttpServer https() {
        return https(SelfSignedCertificate.generate());
    }

    public static TestHttpServer https(SelfSignedCertificate certificate) {
        try {
            HttpsServer server = HttpsServer.create(loopback(), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
            return new TestHttpServer(server, certificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InetSocketAddress loopback() throws IOException {
        return new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
    }

    /** The client-side context that trusts this server's certificate (HTTPS servers only). */
    public SSLContext clientSslContext() {
        if (certificate == null) {
            throw new IllegalStateException("a plain HTTP server has no certificate");
        }
        return certificate.clientContext();
    }

    public boolean isHttps() {
        return certificate != null;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The URL of {@code pathAndQuery} (starting with '/') on this server. */
    public URI uri(String pathAndQuery) {
        return URI.create((isHttps() ? "https" : "http") + "://127.0.0.1:" + port() + pathAndQuery);
    }

    /** Routes {@code path} to a custom handler. */
    public TestHttpServer handle(String path, Handler handler) {
        routes.put(path, handler);
        return this;
    }

    /** 200 with {@code body}. */
    public TestHttpServer serve(String path, byte[] body) {
        return serve(path, "application/octet-stream", body);
    }

    public TestHttpServer serve(String path, String contentType, byte[] body) {
        return handle(path, exchange -> {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            sendBody(exchange, 200, body);
        });
    }

    public TestHttpServer serveText(String path, String html) {
        return serve(path, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * 200 with {@code body}, an ETag and a Last-Modified header; 304 without a body when the request's
     * If-None-Match names the ETag (or If-Modified-Since repeats Last-Modified without If-None-Match).
     */
    public TestHttpServer serveWithEtag(String path, byte[] body, String etag) {
        return handle(path, exchange -> {
            Headers request = exchange.getRequestHeaders();
            exchange.getResponseHeaders().set("ETag", etag);
            exchange.getResponseHeaders().set("Last-Modified", LAST_MODIFIED);
            String ifNoneMatch = request.getFirst("If-None-Match");
            boolean notModified = ifNoneMatch != null ? ifNoneMatch.equals(etag)
                    : LAST_MODIFIED.equals(request.getFirst("If-Modified-Since"));
            if (notModified) {
                exchange.sendResponseHeaders(304, -1);
                exchange.close();
                return;
            }
            sendBody(exchange, 200, body);
        });
    }

    /** Answers {@code status} with a short text body (e.g. 404, 500). */
    public TestHttpServer status(String path, int status) {
        return handle(path, exchange -> sendBody(exchange, status,
                ("status " + status + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    /** Redirects to {@code location} (absolute or relative) with {@code status} (301, 302, 307...). */
    public TestHttpServer redirect(String path, int status, String location) {
        return handle(path, exchange -> {
            exchange.getResponseHeaders().set("Location", location);
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
    }

    /** Announces {@code declaredLength} bytes, sends only {@code sent}, then closes the connection. */
    public TestHttpServer truncated(String path, byte[] sent, long declaredLength) {
        return handle(path, exchange -> {
            sendPart(exchange, sent, declaredLength);
            // Closing the exchange with bytes missing makes the server drop the connection.
            exchange.close();
        });
    }

    /** Announces {@code declaredLength} bytes, sends {@code sent}, then sends nothing until the server closes. */
    public TestHttpServer stall(String path, byte[] sent, long declaredLength) {
        return handle(path, exchange -> {
            sendPart(exchange, sent, declaredLength);
            try {
                closing.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
    }

    /** How many requests arrived for {@code path}. */
    public int requests(String path) {
        AtomicInteger count = requests.get(path);
        return count == null ? 0 : count.get();
    }

    /** How many responses for {@code path} carried a body (a 304 does not). */
    public int bodiesSent(String path) {
        AtomicInteger count = bodies.get(path);
        return count == null ? 0 : count.get();
    }

    /** The headers of the last request for {@code path}, or null. */
    public Headers lastRequestHeaders(String path) {
        return lastHeaders.get(path);
    }

    /** Sends {@code body} with {@code status}, counting it as a body sent. */
    public void sendBody(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
        countBody(exchange);
    }

    /** Announces {@code declaredLength} bytes and sends {@code sent}, the start of them, leaving the body open. */
    private void sendPart(HttpExchange exchange, byte[] sent, long declaredLength) throws IOException {
        exchange.sendResponseHeaders(200, declaredLength);
        OutputStream out = exchange.getResponseBody();
        out.write(sent);
        out.flush();
        countBody(exchange);
    }

    private void countBody(HttpExchange exchange) {
        bodies.computeIfAbsent(exchange.getRequestURI().getPath(), p -> new AtomicInteger()).incrementAndGet();
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        Headers copy = new Headers();
        exchange.getRequestHeaders().forEach((name, values) -> copy.put(name, List.copyOf(values)));
        lastHeaders.put(path, copy);
        try {
            Handler handler = routes.get(path);
            if (handler == null) {
                sendBody(exchange, 404, ("no route for " + path + "\n").getBytes(StandardCharsets.UTF_8));
            } else {
                handler.handle(exchange);
            }
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
