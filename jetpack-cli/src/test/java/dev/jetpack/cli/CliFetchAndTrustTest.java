package dev.jetpack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.aci.AciWriter;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.WriterOptions;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.ManifestCodec;
import dev.jetpack.engine.testing.TestHttpServer;
import dev.jetpack.engine.testing.TestKeys;
import dev.jetpack.engine.testing.TestOciImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fetch, import with signatures, trust and untrust, against files and a loopback HTTP server. */
class CliFetchAndTrustTest {
    private static final TestKeys.TestKey PUBLISHER = TestKeys.ed25519("Publisher <publisher@example.com>");
    private static final TestKeys.TestKey STRANGER = TestKeys.ed25519("Stranger <stranger@example.org>");

    @TempDir
    Path temp;

    private Cli cli;
    private TestHttpServer server;
    private Path app;
    private Path other;

    @BeforeEach
    void setUp() throws IOException {
        cli = new Cli(temp.resolve("store"), temp);
        server = TestHttpServer.http();
        app = image("example.com/app", "app.aci");
        other = image("example.com/other", "other.aci");
        byte[] appBytes = Files.readAllBytes(app);
        server.serve("/app.aci", appBytes)
                .serve("/app.aci.asc", PUBLISHER.sign(appBytes))
                .serve("/publisher.asc", PUBLISHER.armoredPublicKey())
                .serve("/stranger.asc", STRANGER.armoredPublicKey());
        Files.write(temp.resolve("publisher.asc"), PUBLISHER.armoredPublicKey());
        Files.write(temp.resolve("app.aci.by-stranger.asc"), STRANGER.sign(appBytes));
        // Not app.aci.asc: a signature next to a local file is verified by fetch, which one test does not want.
        Files.write(temp.resolve("publisher-signature.asc"), PUBLISHER.sign(appBytes));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private Path image(String name, String file) throws IOException {
        Path rootfs = Files.createDirectories(temp.resolve(file + ".rootfs"));
        Files.writeString(rootfs.resolve("name"), name);
        byte[] manifest = ManifestCodec.write(ImageManifest.named(name).withLabel("version", "1.0"), false);
        AciWriter.write(manifest, rootfs, temp.resolve(file), WriterOptions.builder().compression(Compression.GZIP)
                .fixedTimestamp(Instant.EPOCH).build());
        return temp.resolve(file);
    }

    private String url(String path) {
        return server.uri(path).toString();
    }

    @Test
    void fetchPrintsAndSavesTheIdsInOrder() throws IOException {
        Cli.Result result = cli.run("fetch", "-saveid", "ids.txt", "app.aci", "./other.aci");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.lines()).hasSize(2).allMatch(line -> line.matches("sha512-[0-9a-f]{128}"));
        assertThat(Files.readAllLines(temp.resolve("ids.txt"))).isEqualTo(result.lines());
        assertThat(cli.run("show-image", result.lines().get(1)).out()).contains("example.com/other");
    }

    @Test
    void fetchTakesOciLayoutsAndRegistryReferencesInSkopeosSpellings() throws IOException {
        TestOciImages.write(temp.resolve("layout"), "1.0", "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Cli.Result result = cli.run("fetch", "oci:layout:1.0");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.lines()).singleElement().matches(line -> line.matches("sha512-[0-9a-f]{128}"));
        assertThat(cli.run("show-image", result.lines().get(0)).out()).contains("layout").contains("version")
                .contains("1.0");

        Cli.Result offline = cli.run("fetch", "--offline", "docker://127.0.0.1:9/team/app:1.0");
        assertThat(offline.exitCode()).as(offline.toString()).isNotZero();
        assertThat(offline.stderr()).contains("docker://127.0.0.1:9/team/app:1.0").contains("offline");
    }

    @Test
    void fetchOverPlainHttpNeedsAllowHttpAndATrustedSigner() {
        Cli.Result refused = cli.run("fetch", url("/app.aci"));

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(refused.stderr()).startsWith("jetpack: error: ").containsIgnoringCase("http");
        assertThat(cli.run("images", "-q").out()).isEmpty();

        Cli.Result untrusted = cli.run("fetch", "--allow-http", url("/app.aci"));

        assertThat(untrusted.exitCode()).as("URL.asc is verified when the server has one: " + untrusted)
                .isEqualTo(ExitCode.FAILED);
        assertThat(untrusted.stderr()).contains("jetpack trust -prefix example.com/app -fingerprint "
                + PUBLISHER.fingerprint());
        assertThat(cli.run("images", "-q").out()).isEmpty();

        cli.run("trust", "-prefix", "example.com/app", "-fingerprint", PUBLISHER.fingerprint(), "publisher.asc");
        Cli.Result allowed = cli.run("fetch", "--allow-http", url("/app.aci"));

        assertThat(allowed.exitCode()).as(allowed.toString()).isZero();
        assertThat(allowed.stderr()).contains("warning: --allow-http");
        assertThat(allowed.out()).isEqualTo(cli.run("images", "-q", "-l").out());
    }

    @Test
    void trustRejectsAWrongFingerprintAndAcceptsTheRightOne() {
        assertThat(cli.run("trust").lines()).containsExactly("PREFIX  FINGERPRINT  IDENTITY");

        Cli.Result rejected = cli.run("trust", "-prefix", "example.com/app", "-fingerprint",
                STRANGER.fingerprint(), "publisher.asc");

        assertThat(rejected.exitCode()).as("a rejected key is a failure, unlike Jetpack: " + rejected)
                .isEqualTo(ExitCode.FAILED);
        assertThat(rejected.stderr()).contains("NOT trusted").contains(PUBLISHER.fingerprint());
        assertThat(cli.run("trust").lines()).hasSize(1);

        Cli.Result trusted = cli.run("trust", "-prefix", "example.com/app", "-fingerprint",
                PUBLISHER.fingerprint(), "publisher.asc");

        assertThat(trusted.exitCode()).as(trusted.toString()).isZero();
        assertThat(trusted.out()).isEqualTo(PUBLISHER.fingerprint() + "\n");
        assertThat(cli.run("trust").lines()).hasSize(2).last().asString()
                .matches("example\\.com/app +" + PUBLISHER.fingerprint() + " +Publisher <publisher@example.com>");
    }

    @Test
    void trustOnFirstUseFromAUrlWarnsAndUntrustRemoves() {
        Cli.Result trusted = cli.run("trust", "-root", "--trust-on-first-use", "--allow-http", url("/stranger.asc"));

        assertThat(trusted.exitCode()).as(trusted.toString()).isZero();
        assertThat(trusted.stderr()).contains("warning:").contains("first use");
        assertThat(cli.run("trust", "-H").exitCode()).as("trust has no -H").isEqualTo(ExitCode.USAGE);
        assertThat(cli.run("trust").lines().get(1)).matches("\\* +" + STRANGER.fingerprint() + " +Stranger.*");

        Cli.Result removed = cli.run("untrust", STRANGER.fingerprint().toLowerCase());

        assertThat(removed.exitCode()).as(removed.toString()).isZero();
        assertThat(removed.out()).isEqualTo(STRANGER.fingerprint() + "  *\n");
        assertThat(cli.run("trust").lines()).hasSize(1);
        Cli.Result again = cli.run("untrust", STRANGER.fingerprint());
        assertThat(again.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(again.stderr()).contains("No trusted key has the fingerprint")
                .as("the command line adds its own spelling of the fix to the engine's message")
                .contains("'jetpack trust' lists the trusted keys with their fingerprints.");
    }

    @Test
    void importVerifiesTheGivenSignatureAgainstTheTrustedKeys() {
        cli.run("trust", "-prefix", "example.com/app", "-fingerprint", PUBLISHER.fingerprint(), "publisher.asc");

        Cli.Result stranger = cli.run("import", "-sig", "app.aci.by-stranger.asc", "app.aci");

        assertThat(stranger.exitCode()).as(stranger.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(stranger.stderr()).contains("not trusted").contains("rejected");
        assertThat(cli.run("images", "-q").out()).as("a rejected image is not stored").isEmpty();

        Cli.Result wrongName = cli.run("import", "-name", "example.com/other", "-sig", "publisher-signature.asc", "app.aci");

        assertThat(wrongName.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(wrongName.stderr()).contains("is named example.com/app, not example.com/other");

        Cli.Result signed = cli.run("import", "--allow-http", "-saveid", "id.txt", "-sig", url("/app.aci.asc"),
                url("/app.aci"));

        assertThat(signed.exitCode()).as(signed.toString()).isZero();
        assertThat(signed.stderr()).contains("Signature of").contains("verified for example.com/app");
        assertThat(temp.resolve("id.txt")).hasContent(signed.out().strip());
    }

    @Test
    void importFromStdinWithASignature() throws IOException {
        cli.run("trust", "-prefix", "example.com", "-fingerprint", PUBLISHER.fingerprint(), "publisher.asc");

        Cli.Result result = cli.run(Files.readAllBytes(app), "import", "-sig", "publisher-signature.asc", "-");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(cli.run("images", "-q", "-l").out()).isEqualTo(result.out());
    }
}
