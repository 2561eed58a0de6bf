package dev.jetpack.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.oci.registry.Credentials;
import java.util.List;
import java.util.Map;
import org.apache.maven.settings.Server;
import org.junit.jupiter.api.Test;

class RegistryServersTest {
    private static Server server(String id, String user, String password) {
        Server server = new Server();
        server.setId(id);
        server.setUsername(user);
        server.setPassword(password);
        return server;
    }

    @Test
    void serversWithAUserBecomeCredentialsByIdAndTheFirstOfAnIdWins() {
        Map<String, Credentials> credentials = RegistryServers.of(List.of(
                server("registry.test:5000", "ci", "pw"),
                server("registry.test:5000", "later", "pw2"),
                server("keys-only", null, null),
                server(" registry.test ", "plain", null)));

        assertThat(credentials).containsOnlyKeys("registry.test:5000", "registry.test");
        assertThat(credentials.get("registry.test:5000")).isEqualTo(new Credentials("ci", "pw"));
        assertThat(credentials.get("registry.test").secret()).isEmpty();
    }
}
