package dev.jetpack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.testing.Skopeo;
import dev.jetpack.engine.testing.TestImages;
import dev.jetpack.engine.testing.TestRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jetpack push} against a real docker-registry on 127.0.0.1, checked with skopeo. */
class CliPushTest {
    @TempDir
    Path temp;

    private Cli cli;
    private TestRegistry registry;

    @BeforeEach
    void setUp() throws IOException {
        cli = new Cli(temp.resolve("store"), temp);
        Path tarball = TestImages.rootfsTarball(temp.resolve("rootfs.tar.gz"), "hello\n");
        Path manifest = TestImages.manifestFile(temp.resolve("manifest.json"), "example.com/base", "1.0");
        Cli.Result made = cli.run("makeaci", tarball.toString(), manifest.toString(), "base.aci");
        assertThat(made.exitCode()).as(made.toString()).isZero();
        Cli.Result imported = cli.run("import", "base.aci");
        assertThat(imported.exitCode()).as(imported.toString()).isZero();
    }

    @AfterEach
    void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void pushPrintsTheDigestSkopeoSees() throws Exception {
        registry = TestRegistry.in(temp.resolve("registry")).start();
        String target = registry.address() + "/example/base:1.0";

        Cli.Result pushed = cli.run("push", "--allow-http", "example.com/base:1.0", target);

        assertThat(pushed.exitCode()).as(pushed.toString()).isZero();
        assertThat(pushed.out()).startsWith(target + "@sha256:");
        assertThat(pushed.stderr()).contains("plain HTTP");
        String digest = pushed.out().strip().substring(pushed.out().indexOf('@') + 1);
        assertThat(Skopeo.digest(target)).isEqualTo(digest);
    }

    @Test
    void withoutCredentialsTheErrorSaysWhereTheyAreReadAndTheFileFlagWorks() throws Exception {
        registry = TestRegistry.in(temp.resolve("registry")).htpasswd("ci", "pa55word").start();
        String target = registry.address() + "/example/base:1.0";

        Cli.Result refused = cli.run("push", "--allow-http", "example.com/base:1.0", target);

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.stderr()).contains("HTTP 401").contains("--credentials-file FILE")
                .contains("$JETPACK_REGISTRY_CREDENTIALS").contains("$REGISTRY_AUTH_FILE")
                .contains(".docker/config.json");

        Path credentials = temp.resolve("registry-credentials");
        Files.writeString(credentials, "ci:pa55word\n");
        Cli.Result pushed = cli.run("push", "--allow-http", "--credentials-file", credentials.toString(),
                "example.com/base:1.0", target);
        assertThat(pushed.exitCode()).as(pushed.toString()).isZero();
        assertThat(pushed.stderr()).doesNotContain("pa55word");

        Cli.Result viaEnvironment = cli.env("JETPACK_REGISTRY_CREDENTIALS", "ci:pa55word")
                .run("push", "--allow-http", "example.com/base:1.0", registry.address() + "/example/env:1");
        assertThat(viaEnvironment.exitCode()).as(viaEnvironment.toString()).isZero();
    }

    @Test
    void aBadReferenceIsAUsageError() {
        Cli.Result bad = cli.run("push", "example.com/base:1.0", "127.0.0.1:5000/Upper/case");

        assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(2);
        assertThat(bad.stderr()).contains("'Upper'").contains("HOST[:PORT]/REPOSITORY[:TAG]");
    }
}
