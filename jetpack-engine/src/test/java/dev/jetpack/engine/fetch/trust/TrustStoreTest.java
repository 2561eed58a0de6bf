package dev.jetpack.engine.fetch.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.testing.RecordingLog;
import dev.jetpack.engine.testing.TestKeys;
import dev.jetpack.engine.testing.TestKeys.TestKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustStoreTest {
    private static TestKey alice;
    private static TestKey bob;

    @TempDir
    Path dir;

    private final RecordingLog log = new RecordingLog();

    @BeforeAll
    static void keys() {
        alice = TestKeys.ed25519("Alice <alice@example.com>");
        bob = TestKeys.ed25519("Bob <bob@example.org>");
    }

    private TrustStore store() {
        return new TrustStore(dir, log);
    }

    @Test
    void storesAKeyWithTheExpectedFingerprintUnderItsPrefix() {
        TrustStore store = store();

        assertThat(store.add(TrustScope.prefix("example.com/foo"), alice.armoredPublicKey(),
                KeyAcceptance.fingerprint(alice.fingerprint().toLowerCase()), "alice.asc"))
                .singleElement().satisfies(key -> {
                    assertThat(key.fingerprint()).isEqualTo(alice.fingerprint());
                    assertThat(key.userIds()).containsExactly("Alice <alice@example.com>");
                });

        assertThat(dir.resolve("prefix.d/example.com/foo/" + alice.fingerprint() + ".asc")).isRegularFile();
        assertThat(store.list()).extracting(TrustedKey::fingerprint, TrustedKey::scope)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(alice.fingerprint(),
                        TrustScope.prefix("example.com/foo")));
    }

    @Test
    void aKeyWithAnotherFingerprintIsRejectedAndNothingIsStored() {
        assertThatThrownBy(() -> store().add(TrustScope.prefix("example.com"), alice.armoredPublicKey(),
                KeyAcceptance.fingerprint(bob.fingerprint()), "https://example.com/key.asc"))
                .isInstanceOf(TrustException.class)
                .hasMessageContaining(alice.fingerprint())
                .hasMessageContaining("not the expected " + bob.fingerprint())
                .hasMessageContaining("NOT trusted");
        assertThat(store().list()).isEmpty();
    }

    @Test
    void shortKeyIdsAreNotAcceptedAsFingerprints() {
        assertThatThrownBy(() -> KeyAcceptance.fingerprint(alice.keyId()))
                .isInstanceOf(TrustException.class)
                .hasMessageContaining("not a full OpenPGP key fingerprint");
    }

    @Test
    void trustOnFirstUseStoresTheKeyAndWarns() {
        store().add(TrustScope.root(), bob.armoredPublicKey(), KeyAcceptance.trustOnFirstUse(), "bob.asc");

        assertThat(store().keysFor("anything.org/app")).extracting(TrustedKey::fingerprint)
                .containsExactly(bob.fingerprint());
        assertThat(log.warnings()).anyMatch(w -> w.contains(bob.fingerprint()) && w.contains("first use"));
    }

    @Test
    void prefixesMatchByWholePathSegments() {
        TrustStore store = store();
        store.add(TrustScope.prefix("example.com/foo"), alice.armoredPublicKey(),
                KeyAcceptance.fingerprint(alice.fingerprint()), "alice.asc");

        assertThat(store.keysFor("example.com/foo")).hasSize(1);
        assertThat(store.keysFor("example.com/foo/bar")).hasSize(1);
        assertThat(store.keysFor("example.com/foobar")).isEmpty();
        assertThat(store.keysFor("example.com")).isEmpty();
        assertThat(store.keysFor("other.org/foo")).isEmpty();
    }

    @Test
    void removesAKeyFromEveryScope() {
        TrustStore store = store();
        store.add(TrustScope.prefix("example.com"), alice.armoredPublicKey(),
                KeyAcceptance.fingerprint(alice.fingerprint()), "alice.asc");
        store.add(TrustScope.root(), alice.armoredPublicKey(), KeyAcceptance.fingerprint(alice.fingerprint()),
                "alice.asc");
        store.add(TrustScope.root(), bob.armoredPublicKey(), KeyAcceptance.fingerprint(bob.fingerprint()), "bob.asc");

        assertThat(store.remove(alice.fingerprint())).hasSize(2);

        assertThat(store.list()).extracting(TrustedKey::fingerprint).containsExactly(bob.fingerprint());
        assertThat(store.remove(alice.fingerprint())).isEmpty();
    }

    @Test
    void aKeyFileWhoseContentIsNotTheNamedKeyIsIgnored() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root.d"));
        Files.write(root.resolve(alice.fingerprint() + ".asc"), bob.armoredPublicKey());

        assertThat(store().keysFor("example.com/app")).isEmpty();
        assertThat(log.warnings()).anyMatch(w -> w.contains("does not hold exactly the key its name says"));
    }

    @Test
    void invalidPrefixesAreRejected() {
        for (String prefix : new String[] {"../etc", "Example.com", "example.com/", "/example.com", "a//b"}) {
            assertThatThrownBy(() -> TrustScope.prefix(prefix)).as(prefix)
                    .isInstanceOf(TrustException.class)
                    .hasMessageContaining("not a valid image name prefix");
        }
    }

    @Test
    void garbageIsNotAKey() {
        assertThatThrownBy(() -> store().add(TrustScope.root(), "hello".getBytes(),
                KeyAcceptance.trustOnFirstUse(), "junk.txt"))
                .isInstanceOf(TrustException.class)
                .hasMessageContaining("junk.txt");
        assertThat(store().list()).isEmpty();
    }
}
