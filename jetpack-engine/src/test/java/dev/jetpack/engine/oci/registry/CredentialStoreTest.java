package dev.jetpack.engine.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order of the credential sources and the forms their files take. */
class CredentialStoreTest {
    @TempDir
    Path temp;

    private static String auth(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private Path write(String relative, String json) throws Exception {
        Path file = temp.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
        return file;
    }

    private static String auths(String key, String user, String password) {
        return "{\"auths\":{\"" + key + "\":{\"auth\":\"" + auth(user, password) + "\"}}}";
    }

    @Test
    void sourcesAreReadInSkopeosOrder() throws Exception {
        RegistryReference ref = RegistryReference.parse("reg.test:5000/team/app:1");
        Path home = temp.resolve("home");
        write("home/.docker/config.json", auths("reg.test:5000", "docker", "p"));
        CredentialStore.Builder store = CredentialStore.builder().home(home).environment(Map.of());
        assertThat(store.build().lookup(ref).orElseThrow().credentials().username()).isEqualTo("docker");

        write("home/.config/containers/auth.json", auths("reg.test:5000", "containers", "p"));
        assertThat(store.build().lookup(ref).orElseThrow().credentials().username()).isEqualTo("containers");

        Path runtime = write("run/containers/auth.json", auths("reg.test:5000", "runtime", "p")).getParent().getParent();
        Map<String, String> env = Map.of("XDG_RUNTIME_DIR", runtime.toString());
        assertThat(store.environment(env).build().lookup(ref).orElseThrow().credentials().username())
                .isEqualTo("runtime");

        Path file = write("registry-auth.json", auths("reg.test:5000", "file", "p"));
        store.environment(Map.of("XDG_RUNTIME_DIR", runtime.toString(), "REGISTRY_AUTH_FILE", file.toString()));
        CredentialStore.Found found = store.build().lookup(ref).orElseThrow();
        assertThat(found.credentials().username()).isEqualTo("file");
        assertThat(found.source()).isEqualTo(file.toString());

        store.mavenServers(Map.of("reg.test", new Credentials("maven", "p")));
        found = store.build().lookup(ref).orElseThrow();
        assertThat(found.credentials().username()).isEqualTo("maven");
        assertThat(found.source()).contains("settings.xml <server> with id reg.test");

        store.explicit(new Credentials("explicit", "p"), "--credentials-file x");
        assertThat(store.build().lookup(ref).orElseThrow().credentials().username()).isEqualTo("explicit");
    }

    @Test
    void repositoryKeysWinOverTheRegistryKeyAndDockerHubUsesDockersKey() throws Exception {
        Path file = write("auth.json", "{\"auths\":{"
                + "\"reg.test/team\":{\"auth\":\"" + auth("team", "p") + "\"},"
                + "\"reg.test\":{\"auth\":\"" + auth("any", "p") + "\"},"
                + "\"https://index.docker.io/v1/\":{\"auth\":\"" + auth("hub", "p") + "\"},"
                + "\"token.test\":{\"identitytoken\":\"refresh-me\"}}}");
        CredentialStore store = CredentialStore.builder().home(temp.resolve("none"))
                .environment(Map.of("REGISTRY_AUTH_FILE", file.toString())).build();
        assertThat(store.lookup(RegistryReference.parse("reg.test/team/app")).orElseThrow().credentials().username())
                .isEqualTo("team");
        assertThat(store.lookup(RegistryReference.parse("reg.test/other/app")).orElseThrow().credentials().username())
                .isEqualTo("any");
        assertThat(store.lookup(RegistryReference.parse("busybox")).orElseThrow().credentials().username())
                .isEqualTo("hub");
        Credentials token = store.lookup(RegistryReference.parse("token.test/app")).orElseThrow().credentials();
        assertThat(token.isIdentityToken()).isTrue();
        assertThat(token.toString()).doesNotContain("refresh-me");
        assertThat(store.lookup(RegistryReference.parse("elsewhere.test/app"))).isEmpty();
    }

    @Test
    void damagedFilesAreNamed() throws Exception {
        Path file = write("auth.json", "{\"auths\":{\"reg.test\":{\"auth\":\"%%%\"}}}");
        CredentialStore store = CredentialStore.builder().home(temp)
                .environment(Map.of("REGISTRY_AUTH_FILE", file.toString())).build();
        assertThatThrownBy(() -> store.lookup(RegistryReference.parse("reg.test/app")))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not base64");
        Files.writeString(file, "{not json");
        assertThatThrownBy(() -> store.lookup(RegistryReference.parse("reg.test/app")))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("is not valid JSON");
    }

    @Test
    void aMissingCredentialHelperIsNamed() throws Exception {
        Path dockerConfig = write("docker/config.json", "{\"credsStore\":\"nosuchhelper\"}").getParent();
        CredentialStore store = CredentialStore.builder().home(temp)
                .environment(Map.of("DOCKER_CONFIG", dockerConfig.toString(), "PATH", temp.toString())).build();
        assertThatThrownBy(() -> store.lookup(RegistryReference.parse("reg.test/app")))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("docker-credential-nosuchhelper")
                .hasMessageContaining("not on the PATH");
    }
}
