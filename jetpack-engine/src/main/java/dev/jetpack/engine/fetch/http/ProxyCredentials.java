package dev.jetpack.engine.fetch.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * The user name and password of a proxy ({@code http_proxy=http://USER:PASSWORD@HOST:PORT}, or a settings.xml
 * {@code <proxy>}), sent to that proxy alone as {@code Proxy-Authorization: Basic}. {@link #toString()} never shows
 * the password, so a proxy can be named in logs and messages.
 */
public record ProxyCredentials(String username, String password) {
    public ProxyCredentials {
        Objects.requireNonNull(username, "username");
        if (username.isEmpty()) {
            throw new IllegalArgumentException("a proxy user name must not be empty");
        }
        password = password == null ? "" : password;
    }

    /** The {@code Proxy-Authorization} value (RFC 7617 Basic, UTF-8). */
    String basicAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "user " + username + " (password not shown)";
    }
}
