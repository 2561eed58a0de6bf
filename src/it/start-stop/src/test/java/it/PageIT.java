package it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Runs in integration-test, while the app jetpack:start started serves. */
class PageIT {
    private static final HttpClient CLIENT = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

    private static HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(System.getProperty("page.url") + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageFromTheVolume() throws Exception {
        HttpResponse<String> page = get("");
        assertEquals(200, page.statusCode());
        String expected = System.getProperty("page.expected");
        assertTrue(page.body().contains(expected), "page " + page.body() + " does not contain " + expected);
    }

    @Test
    void theAppHasTheEnvironmentOfThePom() throws Exception {
        HttpResponse<String> env = get("cgi-bin/env.cgi");
        assertEquals(200, env.statusCode(), env.body());
        assertEquals("greeting=hi from the pom", env.body().trim());
    }
}
