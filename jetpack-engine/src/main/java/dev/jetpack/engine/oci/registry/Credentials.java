package dev.jetpack.engine.oci.registry;

import java.util.Objects;

/**
 * A user name and secret for a registry (a password or an access token), or a docker identity token (a refresh
 * token that is traded at the token server, user name {@value #IDENTITY_TOKEN_USER}). {@link #toString()} never
 * shows the secret.
 */
public record Credentials(String username, String secret) {
    /** The user name docker's config files give an {@code identitytoken}. */
    public static final String IDENTITY_TOKEN_USER = "<token>";

    public Credentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(secret, "secret");
    }

    /**
     * Parses {@code USER:SECRET}, as in a credentials file or an environment variable; the secret may contain
     * colons.
     *
     * @param source names where the text came from, for the error
     */
    public static Credentials parse(String text, String source) {
        String trimmed = text.strip();
        int colon = trimmed.indexOf(':');
        if (colon <= 0) {
            throw new RegistryException("The credentials in " + source + " are not USER:PASSWORD (no user name"
                    + " before a ':'); write them as one line USER:PASSWORD");
        }
        return new Credentials(trimmed.substring(0, colon), trimmed.substring(colon + 1));
    }

    public static Credentials identityToken(String token) {
        return new Credentials(IDENTITY_TOKEN_USER, token);
    }

    public boolean isIdentityToken() {
        return IDENTITY_TOKEN_USER.equals(username);
    }

    @Override
    public String toString() {
        return isIdentityToken() ? "an identity token" : "user " + username + " (password not shown)";
    }
}
