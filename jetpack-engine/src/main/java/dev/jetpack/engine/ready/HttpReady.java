package dev.jetpack.engine.ready;

import dev.jetpack.engine.JetpackException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Ready once a GET of the URL answers 2xx or 3xx. Redirects are not followed (a 3xx already shows a serving
 * app), and no proxy is used: the app runs on this host.
 */
public final class HttpReady implements ReadyCondition {
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(2);

    private final URI url;
    private final HttpClient client;
    private volatile String lastAttempt;

    private HttpReady(URI url) {
        this.url = url;
        this.client = HttpClient.newBuilder()
                .proxy(HttpClient.Builder.NO_PROXY)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(ATTEMPT_TIMEOUT)
                .build();
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
        HttpRequest request = HttpRequest.newBuilder(url).timeout(ATTEMPT_TIMEOUT).GET().build();
        try {
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            lastAttempt = "answered " + status;
            return status >= 200 && status < 400;
        } catch (IOException e) {
            lastAttempt = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
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
