package dev.jetpack.engine.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.fetch.http.HttpSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Answers one registry's authentication challenges (distribution-spec's token auth, as docker and skopeo speak
 * it). Nothing is sent before the registry asks: the first 401 carries the challenge, which is remembered. Basic:
 * the credentials go with every request. Bearer: a token for the request's scope is fetched from the realm
 * ({@code GET realm?service=...&scope=...}, with the credentials as Basic auth if there are any, anonymous
 * otherwise; an identity token is traded with {@code POST grant_type=refresh_token}) and cached per scope until
 * shortly before its {@code expires_in} (60 s when the server says nothing).
 *
 * <p>Credentials are looked up once, when first needed; they are never sent over plain HTTP unless plain HTTP
 * was allowed explicitly, and the message of a refusal says where credentials are read from.
 */
final class RegistryAuthenticator {
    private static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);
    /** A token is renewed this long before it expires, so that a long upload does not start with a dying one. */
    private static final Duration RENEWAL_MARGIN = Duration.ofSeconds(10);
    private static final int MAX_TOKEN_RESPONSE = 1 << 20;

    private record Token(String value, Instant renewAfter) {
    }

    private final RegistryReference registry;
    private final CredentialStore store;
    private final HttpClient client;
    private final HttpSettings http;
    private final EngineLog log;
    private final Clock clock;
    private final Map<Scope, Token> tokens = new HashMap<>();
    private AuthChallenge challenge;
    private Optional<CredentialStore.Found> credentials;

    RegistryAuthenticator(RegistryReference registry, CredentialStore store, HttpClient client, HttpSettings http,
            EngineLog log, Clock clock) {
        this.registry = registry;
        this.store = store;
        this.client = client;
        this.http = http;
        this.log = log;
        this.clock = clock;
    }

    /** The Authorization header for a request of {@code scope}, once the registry has asked for one. */
    synchronized Optional<String> authorization(Scope scope) {
        if (challenge == null) {
            return Optional.empty();
        }
        if (challenge.isBasic()) {
            return credentials().map(found -> basic(found.credentials()));
        }
        Token token = tokens.get(scope);
        if (token == null || !clock.instant().isBefore(token.renewAfter())) {
            token = fetchToken(scope);
            tokens.put(scope, token);
        }
        return Optional.of("Bearer " + token.value());
    }

    /**
     * The registry answered 401 with {@code header}: remember its challenge and drop the token that was refused,
     * so that {@link #authorization(Scope)} fetches a new one.
     *
     * @return whether a retry can do better: false when the same kind of answer was already refused
     */
    synchronized boolean challenged(String header, Scope scope, boolean hadAuthorization) {
        Optional<AuthChallenge> parsed = AuthChallenge.parse(header);
        if (parsed.isEmpty()) {
            throw new RegistryException("The registry " + registry.registry() + " asks for authentication that"
                    + " jetpack does not speak: WWW-Authenticate: " + header + ". Only Basic and Bearer (token)"
                    + " authentication are supported", 401, null);
        }
        challenge = parsed.get();
        tokens.remove(scope);
        // After a refused token a fresh one may pass (it may have expired, or had too little scope); Basic
        // credentials that were refused stay refused.
        return !hadAuthorization || challenge.isBearer();
    }

    /** Who was (or would be) authenticated, and from where: for messages. */
    synchronized String describeCredentials() {
        return credentials().map(found -> found.credentials() + " from " + found.source())
                .orElse("no credentials (looked in: " + store.describeSources(registry) + ")");
    }

    synchronized boolean hasCredentials() {
        return credentials().isPresent();
    }

    private Optional<CredentialStore.Found> credentials() {
        if (credentials == null) {
            credentials = store.lookup(registry);
            credentials.ifPresent(found -> log.debug("Credentials for " + registry.registry() + ": "
                    + found.credentials() + " from " + found.source()));
        }
        return credentials;
    }

    private Token fetchToken(Scope scope) {
        String realm = challenge.parameter("realm").orElseThrow(() -> new RegistryException("The registry "
                + registry.registry() + " asks for a Bearer token without naming the token server (no realm in"
                + " its WWW-Authenticate header); the registry is misconfigured", 401, null));
        URI realmUri;
        try {
            realmUri = URI.create(realm);
        } catch (IllegalArgumentException e) {
            throw new RegistryException("The registry " + registry.registry() + " names an invalid token server '"
                    + realm + "'", 401, e);
        }
        String scheme = realmUri.getScheme() == null ? "" : realmUri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && http.allowPlainHttp())) {
            throw new RegistryException("The registry " + registry.registry() + " sends jetpack to the token"
                    + " server " + realm + ", which is not https: refused, because credentials and tokens would"
                    + " travel in the clear. Allow plain HTTP explicitly only for a registry you trust", 401, null);
        }
        Optional<CredentialStore.Found> found = credentials();
        StringBuilder query = new StringBuilder();
        challenge.parameter("service").ifPresent(service -> append(query, "service", service));
        scope.entries().forEach(entry -> append(query, "scope", entry));
        HttpRequest.Builder request;
        if (found.isPresent() && found.get().credentials().isIdentityToken()) {
            append(query, "grant_type", "refresh_token");
            append(query, "refresh_token", found.get().credentials().secret());
            append(query, "client_id", "jetpack");
            request = http.request(realmUri)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(query.toString()));
        } else {
            String separator = realm.contains("?") ? "&" : "?";
            request = http.request(URI.create(realm + (query.isEmpty() ? "" : separator + query))).GET();
            found.ifPresent(f -> request.header("Authorization", basic(f.credentials())));
        }
        request.timeout(http.readTimeout());
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new RegistryException("Cannot get a token for " + registry.registry() + " (" + scope + ") from "
                    + realm + ": " + e + ". Check that the token server is reachable", -1, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("Interrupted while getting a token from " + realm, e);
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new RegistryException("The token server " + realm + " of " + registry.registry() + " refused "
                    + describeCredentials() + " for " + scope + " (HTTP " + response.statusCode() + "). Check"
                    + " the user name and password, and that the user may access the repository", 401, null);
        }
        if (response.statusCode() != 200 || response.body().length > MAX_TOKEN_RESPONSE) {
            throw new RegistryException("The token server " + realm + " of " + registry.registry() + " answered"
                    + " HTTP " + response.statusCode() + " for " + scope + " instead of a token", 401, null);
        }
        return parseToken(response.body(), realm);
    }

    private Token parseToken(byte[] body, String realm) {
        JsonNode reply;
        try {
            reply = new ObjectMapper().readTree(body);
        } catch (IOException e) {
            throw new RegistryException("The token server " + realm + " answered with invalid JSON: "
                    + e.getMessage(), 401, e);
        }
        String token = reply == null ? "" : reply.path("token").asText("");
        if (token.isEmpty()) {
            token = reply == null ? "" : reply.path("access_token").asText("");
        }
        if (token.isEmpty()) {
            throw new RegistryException("The token server " + realm + " answered without a token (neither"
                    + " 'token' nor 'access_token')", 401, null);
        }
        Duration lifetime = reply.path("expires_in").canConvertToLong() && reply.path("expires_in").asLong() > 0
                ? Duration.ofSeconds(reply.path("expires_in").asLong()) : DEFAULT_TOKEN_LIFETIME;
        Duration usable = lifetime.compareTo(RENEWAL_MARGIN.multipliedBy(2)) > 0 ? lifetime.minus(RENEWAL_MARGIN)
                : lifetime.dividedBy(2);
        return new Token(token, clock.instant().plus(usable));
    }

    private static void append(StringBuilder query, String name, String value) {
        if (!query.isEmpty()) {
            query.append('&');
        }
        query.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    private static String basic(Credentials credentials) {
        return "Basic " + Base64.getEncoder().encodeToString((credentials.username() + ":" + credentials.secret())
                .getBytes(StandardCharsets.UTF_8));
    }
}
