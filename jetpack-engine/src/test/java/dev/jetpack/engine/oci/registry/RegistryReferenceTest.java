package dev.jetpack.engine.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.oci.Digest;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegistryReferenceTest {
    private static final String HEX = "a".repeat(64);

    @Test
    void hostPortRepositoryAndTag() {
        RegistryReference ref = RegistryReference.parse("127.0.0.1:5000/team/app:1.0");
        assertThat(ref.registry()).isEqualTo("127.0.0.1:5000");
        assertThat(ref.apiHost()).isEqualTo("127.0.0.1:5000");
        assertThat(ref.repository()).isEqualTo("team/app");
        assertThat(ref.tag()).contains("1.0");
        assertThat(ref.manifestReference()).isEqualTo("1.0");
        assertThat(ref).hasToString("127.0.0.1:5000/team/app:1.0");
    }

    @Test
    void dockerHubNamesAsDockerAndSkopeoReadThem() {
        RegistryReference ref = RegistryReference.parse("docker://busybox");
        assertThat(ref.registry()).isEqualTo("docker.io");
        assertThat(ref.apiHost()).isEqualTo("registry-1.docker.io");
        assertThat(ref.repository()).isEqualTo("library/busybox");
        assertThat(ref.tag()).contains("latest");
        assertThat(RegistryReference.parse("team/app:2").repository()).isEqualTo("team/app");
        assertThat(RegistryReference.parse("index.docker.io/app").name()).isEqualTo("docker.io/library/app");
        assertThat(ref.credentialKeys()).contains("https://index.docker.io/v1/");
        assertThat(RegistryReference.parse("localhost/app").registry()).isEqualTo("localhost");
    }

    @Test
    void digestsPinTheManifest() {
        RegistryReference ref = RegistryReference.parse("example.test:443/app@sha256:" + HEX);
        assertThat(ref.tag()).isEmpty();
        assertThat(ref.digest()).contains(new Digest("sha256", HEX));
        assertThat(ref.manifestReference()).isEqualTo("sha256:" + HEX);
        RegistryReference both = RegistryReference.parse("example.test/app:1@sha256:" + HEX);
        assertThat(both.tag()).contains("1");
        assertThat(both.withDigest(new Digest("sha256", "b".repeat(64))).digest().map(Digest::hex))
                .isEqualTo(Optional.of("b".repeat(64)));
    }

    @Test
    void badReferencesNameTheRuleAndTheForm() {
        assertThatThrownBy(() -> RegistryReference.parse("127.0.0.1:5000/Team/app:1"))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("'Team'")
                .hasMessageContaining("HOST[:PORT]/REPOSITORY[:TAG]");
        assertThatThrownBy(() -> RegistryReference.parse("127.0.0.1:5000/app:-bad"))
                .isInstanceOf(RegistryException.class).hasMessageContaining("tag '-bad'");
        assertThatThrownBy(() -> RegistryReference.parse("127.0.0.1:5000/app@sha256:short"))
                .isInstanceOf(RegistryException.class).hasMessageContaining("64 lowercase hex");
        assertThatThrownBy(() -> RegistryReference.parse(" "))
                .isInstanceOf(RegistryException.class).hasMessageContaining("empty");
    }

    @Test
    void challengesAreParsedWithQuotedCommas() {
        AuthChallenge bearer = AuthChallenge.parse("Bearer realm=\"https://auth.test/token\",service=\"reg\","
                + "scope=\"repository:a/b:pull,push\"").orElseThrow();
        assertThat(bearer.isBearer()).isTrue();
        assertThat(bearer.parameter("realm")).contains("https://auth.test/token");
        assertThat(bearer.parameter("scope")).contains("repository:a/b:pull,push");
        AuthChallenge basic = AuthChallenge.parse("Negotiate, Basic realm=\"Registry Realm\"").orElseThrow();
        assertThat(basic.isBasic()).isTrue();
        assertThat(basic.parameter("realm")).contains("Registry Realm");
        assertThat(AuthChallenge.parse("Negotiate abc")).isEmpty();
    }
}
