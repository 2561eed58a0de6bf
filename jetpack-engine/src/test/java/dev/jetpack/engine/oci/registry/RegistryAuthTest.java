package dev.jetpack.engine.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.fetch.http.EnvironmentProxySelector;
import dev.jetpack.engine.fetch.http.HttpSettings;
import dev.jetpack.engine.oci.Descriptor;
import dev.jetpack.engine.oci.OciLayout;
import dev.jetpack.engine.testing.Skopeo;
import dev.jetpack.engine.testing.SquidProxy;
import dev.jetpack.engine.testing.TestOciImages;
import dev.jetpack.engine.testing.TestRegistry;
import dev.jetpack.engine.testing.TestTokenServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Basic (htpasswd) and Bearer (token server) authentication against a real docker-registry, with credentials
 * from each kind of source; what was pushed is checked with skopeo, which reads the same auth file.
 */
class RegistryAuthTest {
    private static final String USER = "pusher";
    private static final String PASSWORD = "s3cret:with-colon";

    @TempDir
    Path temp;

    private TestRegistry registry;
    private TestTokenServer tokens;

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.close();
        }
        if (tokens != null) {
            tokens.close();
        }
    }

    private Descriptor image(Path layoutDir) throws IOException {
        return TestOciImages.write(layoutDir, "1", "authenticated".getBytes(StandardCharsets.UTF_8),
                TestOciImages.random(20_000, 7));
    }

    private PushResult push(Path layoutDir, Descriptor manifest, String target, CredentialStore credentials) {
        return push(layoutDir, manifest, target, credentials, HttpSettings.builder().allowPlainHttp(true).build());
    }

    private PushResult push(Path layoutDir, Descriptor manifest, String target, CredentialStore credentials,
            HttpSettings http) {
        PushOptions options = PushOptions.builder().registry(RegistryOptions.builder()
                .http(http).credentials(credentials).build()).build();
        return new LayoutPusher(EngineLog.SILENT).push(OciLayout.open(layoutDir), manifest,
                RegistryReference.parse(target), options);
    }

    /** A token server (tokens living {@code expiresIn} s; identity token if not null) and a registry using it. */
    private void startTokenAuth(long expiresIn, String identityToken) {
        tokens = TestTokenServer.start(temp.resolve("tokens"), USER, PASSWORD, expiresIn);
        if (identityToken != null) {
            tokens.acceptIdentityToken(identityToken);
        }
        registry = TestRegistry.in(temp.resolve("registry")).token(tokens).start();
    }

    /** A home and environment with nothing in them: only what the test writes counts. */
    private CredentialStore.Builder isolated(Map<String, String> environment) throws IOException {
        Path home = Files.createDirectories(temp.resolve("home"));
        return CredentialStore.builder().home(home).environment(environment);
    }

    private Path authFile(String registryKey, String user, String password) throws IOException {
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        Path file = temp.resolve("auth.json");
        Files.writeString(file, "{\"auths\":{\"" + registryKey + "\":{\"auth\":\"" + auth + "\"}}}");
        return file;
    }

    @Test
    void basicAuthWithoutCredentialsFailsNamingWhereCredentialsAreRead() throws Exception {
        registry = TestRegistry.in(temp.resolve("registry")).htpasswd(USER, PASSWORD).start();
        Path layoutDir = temp.resolve("layout");
        Descriptor manifest = image(layoutDir);
        CredentialStore none = isolated(Map.of("XDG_RUNTIME_DIR", temp.resolve("run").toString()))
                .explicitHint("give them with --credentials-file FILE").build();

        assertThatThrownBy(() -> push(layoutDir, manifest, registry.address() + "/team/app:1", none))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("no credentials")
                .hasMessageContaining("--credentials-file FILE")
                .hasMessageContaining("$REGISTRY_AUTH_FILE (not set)")
                .hasMessageContaining(temp.resolve("run/containers/auth.json").toString())
                .hasMessageContaining(temp.resolve("home/.config/containers/auth.json").toString())
                .hasMessageContaining(temp.resolve("home/.docker/config.json").toString())
                .hasMessageContaining("skopeo login");
    }

    @Test
    void throughAnAuthenticatingProxyTheProxyAndTheRegistryEachGetTheirOwnCredentials() throws Exception {
        registry = TestRegistry.in(temp.resolve("registry")).htpasswd(USER, PASSWORD).start();
        try (SquidProxy proxy = SquidProxy.start("proxy-user", "proxy:pw")) {
            Path layoutDir = temp.resolve("layout");
            Descriptor manifest = image(layoutDir);
            // by a name only the proxy resolves: loopback addresses are never proxied
            String address = SquidProxy.PROXIED_HOST + ":" + registry.port();
            HttpSettings viaProxy = HttpSettings.builder().allowPlainHttp(true)
                    .proxySelector(EnvironmentProxySelector.from(Map.of("http_proxy", proxy.url("proxy-user",
                            "proxy:pw"), "https_proxy", proxy.url("proxy-user", "proxy:pw")), new Properties()))
                    .build();

            PushResult result = push(layoutDir, manifest, address + "/team/app:1",
                    isolated(Map.of("REGISTRY_AUTH_FILE", authFile(address, USER, PASSWORD).toString())).build(),
                    viaProxy);

            assertThat(result.count(PushResult.Outcome.UPLOADED)).isEqualTo(3);
            assertThat(proxy.awaitAccessLog(line -> line.contains("PUT http://" + address
                    + "/v2/team/app/manifests/1 "))).contains(" proxy-user ").contains("/201 ");
            assertThat(registry.storesBlob(manifest.digest().hex())).isTrue();
        }
    }

    @Test
    void basicAuthWithRegistryAuthFileIsWhatSkopeoSeesToo() throws Exception {
        registry = TestRegistry.in(temp.resolve("registry")).htpasswd(USER, PASSWORD).start();
        Path layoutDir = temp.resolve("layout");
        Descriptor manifest = image(layoutDir);
        Path authFile = authFile(registry.address(), USER, PASSWORD);

        PushResult result = push(layoutDir, manifest, registry.address() + "/team/app:1",
                isolated(Map.of("REGISTRY_AUTH_FILE", authFile.toString())).build());

        assertThat(result.count(PushResult.Outcome.UPLOADED)).isEqualTo(3);
        assertThat(Skopeo.digest(registry.address() + "/team/app:1", "--authfile", authFile.toString()))
                .isEqualTo(manifest.digest().toString());
    }

    @Test
    void wrongPasswordIsRefusedNamingTheUserAndTheSource() throws Exception {
        registry = TestRegistry.in(temp.resolve("registry")).htpasswd(USER, PASSWORD).start();
        Path layoutDir = temp.resolve("layout");
        Descriptor manifest = image(layoutDir);
        Path home = Files.createDirectories(temp.resolve("home/.config/containers"));
        Files.copy(authFile(registry.address(), USER, "wrong"), home.resolve("auth.json"));

        assertThatThrownBy(() -> push(layoutDir, manifest, registry.address() + "/team/app:1",
                isolated(Map.of()).build()))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("user " + USER)
                .hasMessageContaining(home.resolve("auth.json").toString())
                .hasMessageContaining("Check the user name and password")
                .hasMessageNotContaining("wrong");
    }

    @Test
    void mavenServersComeBeforeTheFilesAndExplicitCredentialsBeforeBoth() throws Exception {
        registry = TestRegistry.in(temp.resolve("registry")).htpasswd(USER, PASSWORD).start();
        Path layoutDir = temp.resolve("layout");
        Descriptor manifest = image(layoutDir);
        Path wrongFile = authFile(registry.address(), USER, "wrong");
        CredentialStore maven = isolated(Map.of("REGISTRY_AUTH_FILE", wrongFile.toString()))
                .mavenServers(Map.of(registry.address(), new Credentials(USER, PASSWORD))).build();

        assertThat(push(layoutDir, manifest, registry.address() + "/maven/app:1", maven).pushed().digest())
                .contains(manifest.digest());

        CredentialStore explicit = maven.toBuilder()
                .mavenServers(Map.of(registry.address(), new Credentials(USER, "wrong")))
                .explicit(new Credentials(USER, PASSWORD), "the test's explicit credentials").build();
        assertThat(push(layoutDir, manifest, registry.address() + "/explicit/app:1", explicit).pushed().digest())
                .contains(manifest.digest());
    }

    @Test
    void bearerTokensFromACredentialHelperOfDockerConfig() throws Exception {
        startTokenAuth(300, null);
        Path layoutDir = temp.resolve("layout");
        Descriptor manifest = image(layoutDir);
        Path bin = Files.createDirectories(temp.resolve("bin"));
        Path helper = bin.resolve("docker-credential-jetpacktest");
        Path secretFile = temp.resolve("helper-secret");
        Files.writeString(secretFile, "{\"Username\":\"" + USER + "\",\"Secret\":\"" + PASSWORD + "\"}");
        // The helper answers only for the server it is asked about, as real helpers do.
        Files.writeString(helper, "#!/bin/sh\n[ \"$1\" = get ] || exit 2\nread server\n"
                + "[ \"$server\" = \"" + registry.address() + "\" ] || { echo 'credentials not found in native keychain'; exit 1; }\n"
                + "cat " + secretFile + "\n");
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));
        Path dockerConfig = Files.createDirectories(temp.resolve("docker"));
        Files.writeString(dockerConfig.resolve("config.json"), "{\"credHelpers\":{\"" + registry.address()
                + "\":\"jetpacktest\"}}");

        PushResult result = push(layoutDir, manifest, registry.address() + "/team/app:1",
                isolated(Map.of("DOCKER_CONFIG", dockerConfig.toString(), "PATH", bin + ":/usr/bin:/bin")).build());

        assertThat(result.count(PushResult.Outcome.UPLOADED)).isEqualTo(3);
        assertThat(tokens.requests()).allMatch(query -> query.contains("service=jetpack-test-registry"));
        assertThat(tokens.requests()).anyMatch(query -> query.contains("scope=repository:team/app:pull,push"));
        // One token per scope, reused for every blob and the manifest.
        assertThat(tokens.requests().stream().filter(q -> q.contains("team/app:pull,push")).count()).isEqualTo(1);
        Path authFile = authFile(registry.address(), USER, PASSWORD);
        assertThat(Skopeo.digest(registry.address() + "/team/app:1", "--authfile", authFile.toString()))
                .isEqualTo(manifest.digest().toString());

        RegistryReference pushed = RegistryReference.parse(registry.address() + "/team/app:1");
        RegistryClient client = new RegistryClient(pushed, RegistryOptions.builder()
                .http(HttpSettings.builder().allowPlainHttp(true).build())
                .credentials(isolated(Map.of("REGISTRY_AUTH_FILE", authFile.toString())).build()).build(),
                EngineLog.SILENT);
        assertThat(new ImagePuller(client).resolve(pushed, PlatformSelector.host()).manifestDescriptor().digest())
                .isEqualTo(manifest.digest());
    }

    @Test
    void bearerWithoutCredentialsGetsAnAnonymousTokenAndAClearRefusal() throws Exception {
        startTokenAuth(0, null);
        Path layoutDir = temp.resolve("layout");
        Descriptor manifest = image(layoutDir);

        assertThatThrownBy(() -> push(layoutDir, manifest, registry.address() + "/team/app:1",
                isolated(Map.of()).build()))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("refused")
                .hasMessageContaining("no credentials")
                .hasMessageContaining(".docker/config.json");
        assertThat(tokens.requests()).isNotEmpty();
    }

    @Test
    void anIdentityTokenIsTradedAtTheTokenServer() throws Exception {
        startTokenAuth(300, "refresh-42");
        Path layoutDir = temp.resolve("layout");
        Descriptor manifest = image(layoutDir);
        Path dockerConfig = Files.createDirectories(temp.resolve("docker"));
        Files.writeString(dockerConfig.resolve("config.json"), "{\"auths\":{\"" + registry.address()
                + "\":{\"identitytoken\":\"refresh-42\"}}}");

        PushResult result = push(layoutDir, manifest, registry.address() + "/team/app:1",
                isolated(Map.of("DOCKER_CONFIG", dockerConfig.toString())).build());

        assertThat(result.pushed().digest()).contains(manifest.digest());
        assertThat(tokens.requests()).isNotEmpty().allMatch(request -> request.startsWith("POST ")
                && request.contains("grant_type=refresh_token") && request.contains("client_id=jetpack"));
    }

    @Test
    void aCachedTokenIsRenewedWhenItExpires() throws Exception {
        startTokenAuth(120, null);
        Path layoutDir = temp.resolve("layout");
        Descriptor manifest = image(layoutDir);
        Path authFile = authFile(registry.address(), USER, PASSWORD);
        CredentialStore credentials = isolated(Map.of("REGISTRY_AUTH_FILE", authFile.toString())).build();
        push(layoutDir, manifest, registry.address() + "/team/app:1", credentials);
        int before = tokens.requests().size();
        java.util.concurrent.atomic.AtomicReference<java.time.Instant> now =
                new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.now());
        java.time.Clock clock = new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return now.get();
            }
        };
        RegistryReference pushed = RegistryReference.parse(registry.address() + "/team/app:1");
        RegistryClient client = new RegistryClient(pushed, RegistryOptions.builder()
                .http(HttpSettings.builder().allowPlainHttp(true).build()).credentials(credentials).build(),
                EngineLog.SILENT, clock);

        client.fetchManifest(pushed);
        client.fetchManifest(pushed);
        assertThat(tokens.requests().size() - before).as("one token for both").isEqualTo(1);

        now.set(now.get().plusSeconds(115)); // inside the 10 s before expires_in (120 s) ends
        assertThat(client.fetchManifest(pushed).descriptor().digest()).isEqualTo(manifest.digest());
        assertThat(tokens.requests().size() - before).as("renewed once").isEqualTo(2);
    }
}
