package dev.jetpack.engine.ready;

import dev.jetpack.engine.JetpackException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Ready once a GET of the URL answers 2xx or 3xx. Redirects are not followed (a 3xx already shows a serving
 * app), and no proxy is used: the app runs on this host.
 *
 * <p>Each attempt is one {@link HttpURLConnection}, not the JDK's HttpClient: building an HttpClient costs a fresh
 * JVM 0.2-0.5 s (its default TLS context and selector thread), which {@code jetpack:start} paid before the app
 * even started, for one GET a second to a local port; an https URL still gets the JDK's default TLS checks.
 */
public final class HttpReady implements ReadyCondition {
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(2);

    private final URI url;
    private volatile String lastAttempt;

    private HttpReady(URI url) {
        this.url = url;
    }

    /**
     * @throws JetpackException unless {@code text} is an absolute http or https URL with a host
     */
    public static HttpReady parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        URI url;
        try {
            url = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new JetpackException("The http wait URL '" + text + "' is not a URL (" + e.getReason()
                    + "); write it as http://127.0.0.1:8080/health");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new JetpackException("The http wait URL '" + text + "' is not an http or https URL with a host;"
                    + " write it as http://127.0.0.1:8080/health");
        }
        return new HttpReady(url);
    }

    public URI url() {
        return url;
    }

    @Override
    public boolean isMet() {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) url.toURL().openConnection(Proxy.NO_PROXY);
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setConnectTimeout((int) ATTEMPT_TIMEOUT.toMillis());
            connection.setReadTimeout((int) ATTEMPT_TIMEOUT.toMillis());
            int status = connection.getResponseCode();
            try (InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                if (body != null) {
                    body.transferTo(OutputStream.nullOutputStream()); // so the connection ends cleanly
                }
            }
            lastAttempt = "answered " + status;
            return status >= 200 && status < 400;
        } catch (IOException e) {
            lastAttempt = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return false;
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    @Override
    public String describe() {
        return "http " + url;
    }

    @Override
    public Optional<String> lastAttempt() {
        return Optional.ofNullable(lastAttempt);
    }
}
