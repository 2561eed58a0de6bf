package dev.jetpack.engine.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * One docker {@code config.json} or containers {@code auth.json}; both have the same fields. Per registry, as
 * docker reads them: {@code credHelpers[key]} names a helper, else {@code credsStore} names the default helper,
 * then {@code auths[key]} holds {@code auth} (base64 of {@code user:password}) or an {@code identitytoken}.
 * containers' files may also key entries by repository ({@code host/team/app}): the most specific key wins.
 */
final class AuthFile {
    private final Path file;
    private final String helperPath;

    /** @param helperPath the PATH credential helpers are looked up on */
    AuthFile(Path file, String helperPath) {
        this.file = file;
        this.helperPath = helperPath;
    }

    Path file() {
        return file;
    }

    /** The credentials this file has for {@code reference}; empty when the file is absent or has none. */
    Optional<Credentials> lookup(RegistryReference reference) {
        JsonNode root = read();
        if (root == null) {
            return Optional.empty();
        }
        List<String> keys = keys(reference);
        JsonNode helpers = root.path("credHelpers");
        for (String key : keys) {
            if (helpers.hasNonNull(key)) {
                return new CredentialHelper(helpers.get(key).asText(), helperPath).get(helperServer(reference, key));
            }
        }
        if (root.hasNonNull("credsStore")) {
            Optional<Credentials> stored = new CredentialHelper(root.get("credsStore").asText(), helperPath)
                    .get(helperServer(reference, reference.credentialKeys().get(0)));
            if (stored.isPresent()) {
                return stored;
            }
        }
        JsonNode auths = root.path("auths");
        for (String key : keys) {
            JsonNode entry = auths.path(key);
            if (entry.isObject()) {
                Optional<Credentials> found = credentials(entry, key);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<Credentials> credentials(JsonNode entry, String key) {
        String token = entry.path("identitytoken").asText("");
        if (!token.isEmpty()) {
            return Optional.of(Credentials.identityToken(token));
        }
        String auth = entry.path("auth").asText("");
        if (!auth.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new RegistryException("The entry auths[\"" + key + "\"].auth in " + file + " is not base64:"
                        + " it must be base64 of USER:PASSWORD; log in again (skopeo login, podman login,"
                        + " docker login) or fix the file", e);
            }
            return Optional.of(Credentials.parse(decoded, "auths[\"" + key + "\"].auth of " + file));
        }
        String username = entry.path("username").asText("");
        String password = entry.path("password").asText("");
        return username.isEmpty() ? Optional.empty() : Optional.of(new Credentials(username, password));
    }

    /** Docker Hub's helper entries are keyed by docker's own URL key; the others by host[:port]. */
    private static String helperServer(RegistryReference reference, String key) {
        return reference.registry().equals(RegistryReference.DOCKER_HUB)
                ? RegistryReference.DOCKER_HUB_CREDENTIALS_KEY : key;
    }

    private static List<String> keys(RegistryReference reference) {
        List<String> keys = new ArrayList<>();
        String scoped = reference.name();
        while (scoped.contains("/")) {
            keys.add(scoped);
            scoped = scoped.substring(0, scoped.lastIndexOf('/'));
        }
        keys.addAll(reference.credentialKeys());
        return keys;
    }

    private JsonNode read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new RegistryException("Cannot read the credentials file " + file + ": " + e.getMessage(), e);
        }
        try {
            JsonNode root = new ObjectMapper().readTree(bytes);
            if (root != null && !root.isObject()) {
                throw new RegistryException("The credentials file " + file + " is not a JSON object; it should"
                        + " look like {\"auths\": {\"HOST\": {\"auth\": \"...\"}}}");
            }
            return root;
        } catch (IOException e) {
            throw new RegistryException("The credentials file " + file + " is not valid JSON: " + e.getMessage()
                    + ". Fix it or log in again to rewrite it", e);
        }
    }
}
