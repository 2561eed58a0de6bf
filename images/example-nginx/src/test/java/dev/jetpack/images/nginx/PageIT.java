package dev.jetpack.images.nginx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Runs in integration-test, while jetpack:start's nginx serves the page of src/test/nginx. One GET through
 * HttpURLConnection: building the JDK's HttpClient would be most of this fresh JVM's time (its TLS context and
 * selector thread), for a page on a local port.
 */
class PageIT {
    @Test
    void nginxServesThePageFromTheHtmlVolume() throws Exception {
        HttpURLConnection page = (HttpURLConnection) URI.create(System.getProperty("page.url")).toURL()
                .openConnection(Proxy.NO_PROXY);
        try {
            assertEquals(200, page.getResponseCode());
            String body;
            try (InputStream in = page.getInputStream()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertTrue(body.contains("served by example-nginx, started by jetpack:start"), body);
            String server = page.getHeaderField("Server");
            assertTrue(server != null && server.startsWith("nginx"), String.valueOf(page.getHeaderFields()));
        } finally {
            page.disconnect();
        }
    }
}
