package dev.jetpack.images.nginx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Runs in integration-test, while jetpack:start's nginx serves the page of src/test/nginx. */
class PageIT {
    @Test
    void nginxServesThePageFromTheHtmlVolume() throws Exception {
        HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(System.getProperty("page.url")))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("served by example-nginx, started by jetpack:start"), page.body());
        assertTrue(page.headers().firstValue("Server").orElse("").startsWith("nginx"), page.headers().toString());
    }
}
