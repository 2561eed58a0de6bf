package dev.jetpack.maven;

import dev.jetpack.engine.oci.registry.Credentials;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.settings.Server;

/**
 * The {@code <server>} entries of settings.xml as registry credentials, keyed by server id, the way Jib reads
 * them: a registry {@code host:port} matches the id {@code host:port}, then {@code host} (the engine's
 * {@code CredentialStore} does the matching). Servers without a user name (e.g. key-only ones) are left out.
 */
final class RegistryServers {
    private RegistryServers() {
    }

    /** @param decrypted the servers, passwords already decrypted */
    static Map<String, Credentials> of(List<Server> decrypted) {
        Map<String, Credentials> credentials = new LinkedHashMap<>();
        for (Server server : decrypted) {
            if (server.getId() != null && server.getUsername() != null && !server.getUsername().isEmpty()) {
                credentials.putIfAbsent(server.getId().trim(), new Credentials(server.getUsername(),
                        server.getPassword() == null ? "" : server.getPassword()));
            }
        }
        return credentials;
    }
}
