package dev.jetpack.engine.fetch.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.testing.TestKeys;
import dev.jetpack.engine.testing.TestKeys.TestKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignatureVerifierTest {
    private static final byte[] ACI = new byte[200_000];
    private static TestKey publisher;
    private static TestKey stranger;

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() {
        new Random(7).nextBytes(ACI);
        publisher = TestKeys.ed25519("Publisher <images@example.com>");
        stranger = TestKeys.ed25519("Stranger <evil@example.net>");
    }

    private TrustStore trust(String prefix, TestKey key) {
        TrustStore store = new TrustStore(dir.resolve("keys"), EngineLog.SILENT);
        store.add(prefix == null ? TrustScope.root() : TrustScope.prefix(prefix), key.armoredPublicKey(),
                KeyAcceptance.fingerprint(key.fingerprint()), "test");
        return store;
    }

    private static VerifiedSignature verify(TrustStore store, String name, byte[] aci, byte[] signature) {
        return new SignatureVerifier(store).verify(name, new ByteArrayInputStream(aci), signature);
    }

    @Test
    void aGoodSignatureByAPrefixKeyReturnsTheSigner() {
        VerifiedSignature verified = verify(trust("example.com", publisher), "example.com/app", ACI,
                publisher.sign(ACI));

        assertThat(verified.fingerprint()).isEqualTo(publisher.fingerprint());
        assertThat(verified.userIds()).containsExactly("Publisher <images@example.com>");
        assertThat(verified.scope()).isEqualTo(TrustScope.prefix("example.com"));
    }

    @Test
    void aGoodSignatureByARootKeyIsAccepted() {
        assertThat(verify(trust(null, publisher), "any.org/thing", ACI, publisher.sign(ACI)).scope().isRoot())
                .isTrue();
    }

    @Test
    void rsaKeysWork() {
        TestKey rsa = TestKeys.rsa("RSA <rsa@example.com>");
        assertThat(verify(trust("example.com", rsa), "example.com/app", ACI, rsa.sign(ACI)).fingerprint())
                .isEqualTo(rsa.fingerprint());
    }

    @Test
    void filesAreVerifiedToo() throws IOException {
        Path aci = Files.write(dir.resolve("app.aci"), ACI);
        Path asc = Files.write(dir.resolve("app.aci.asc"), publisher.sign(ACI));

        assertThat(new SignatureVerifier(trust("example.com", publisher)).verify("example.com/app", aci, asc)
                .fingerprint()).isEqualTo(publisher.fingerprint());
    }

    @Test
    void alteredBytesFailAsABadSignature() {
        byte[] signature = publisher.sign(ACI);
        byte[] altered = ACI.clone();
        altered[100_000] ^= 1;

        assertThatThrownBy(() -> verify(trust("example.com", publisher), "example.com/app", altered, signature))
                .isInstanceOf(TrustException.class)
                .isNotInstanceOf(UnknownSignerException.class)
                .hasMessageContaining("BAD signature for example.com/app")
                .hasMessageContaining(publisher.fingerprint());
    }

    @Test
    void anUnknownSignerFailsWithItsFingerprintThePrefixAndHowToTrustIt() {
        assertThatThrownBy(() -> verify(trust("example.com", publisher), "example.com/app", ACI, stranger.sign(ACI)))
                .isInstanceOfSatisfying(UnknownSignerException.class, e -> {
                    assertThat(e.keyId()).isEqualTo(stranger.keyId());
                    assertThat(e.fingerprint()).hasValue(stranger.fingerprint());
                    assertThat(e.imageName()).isEqualTo("example.com/app");
                    assertThat(e.remedy()).hasValue(new TrustRemedy.TrustKeyForPrefix("example.com/app",
                            java.util.Optional.of(stranger.fingerprint())));
                })
                .hasMessageContaining(stranger.fingerprint())
                .hasMessageContaining("example.com/app, example.com")
                .hasMessageContaining("check its fingerprint " + stranger.fingerprint() + " with them and trust the"
                        + " key for example.com/app.")
                // Maven users read this message too: the command line adds its own command (TrustHints).
                .hasMessageNotContaining("jetpack trust").hasMessageNotContaining("-prefix");
    }

    @Test
    void aKeyForFooDoesNotTrustFoobar() {
        TrustStore store = trust("example.com/foo", publisher);

        assertThat(verify(store, "example.com/foo/bar", ACI, publisher.sign(ACI)).fingerprint())
                .isEqualTo(publisher.fingerprint());
        assertThatThrownBy(() -> verify(store, "example.com/foobar", ACI, publisher.sign(ACI)))
                .isInstanceOf(UnknownSignerException.class)
                .hasMessageContaining("trusted only for prefix example.com/foo");
    }

    @Test
    void aProperlyBoundSigningSubkeyCountsAsItsPrimaryKey() {
        TestKey withSubkey = TestKeys.ed25519WithSigningSubkey("Sub <sub@example.com>");

        VerifiedSignature verified = verify(trust("example.com", withSubkey), "example.com/app", ACI,
                withSubkey.sign(ACI));

        assertThat(verified.fingerprint()).isEqualTo(withSubkey.fingerprint());
    }

    @Test
    void aSubkeyAppendedWithoutBindingIsNotTrusted() {
        // An attacker in the middle of the key download appends their own key as a "subkey" of the real key:
        // the primary fingerprint still matches, so the ring is stored, but the subkey must not be usable.
        TrustStore store = new TrustStore(dir.resolve("keys"), EngineLog.SILENT);
        store.add(TrustScope.prefix("example.com"), publisher.armoredWithUnboundSubkey(stranger),
                KeyAcceptance.fingerprint(publisher.fingerprint()), "tampered key");

        assertThatThrownBy(() -> verify(store, "example.com/app", ACI, stranger.sign(ACI)))
                .isInstanceOf(UnknownSignerException.class);
    }

    @Test
    void somethingThatIsNotASignatureIsRejected() {
        assertThatThrownBy(() -> verify(trust("example.com", publisher), "example.com/app", ACI,
                "<html>404</html>".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(TrustException.class)
                .hasMessageContaining("signature file of example.com/app");
    }

    @Test
    void streamingVerificationSeesEveryByteReadThroughTheWrapper() throws IOException {
        SignatureVerifier verifier = new SignatureVerifier(trust("example.com", publisher));
        SignatureVerifier.PendingVerification pending = verifier.begin("example.com/app", publisher.sign(ACI));
        try (InputStream in = pending.wrap(new ByteArrayInputStream(ACI))) {
            in.read();
            in.skip(10);
            in.readAllBytes();
        }

        assertThat(pending.finish().fingerprint()).isEqualTo(publisher.fingerprint());
    }

    @Test
    void anUnknownSignerFailsBeforeAnyImageByteIsNeeded() {
        SignatureVerifier verifier = new SignatureVerifier(trust("example.com", publisher));

        assertThatThrownBy(() -> verifier.begin("example.com/app", stranger.sign(ACI)))
                .isInstanceOf(UnknownSignerException.class);
    }
}
