package dev.jetpack.engine.fetch.trust;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;

/** Reading and writing OpenPGP public keys (armored or binary). */
final class OpenPgpKeys {
    private OpenPgpKeys() {
    }

    /** Every public key ring in {@code data}; {@code source} names it in errors. */
    static List<PGPPublicKeyRing> read(byte[] data, String source) {
        try {
            PGPPublicKeyRingCollection collection = new PGPPublicKeyRingCollection(
                    PGPUtil.getDecoderStream(new ByteArrayInputStream(data)), new BcKeyFingerprintCalculator());
            List<PGPPublicKeyRing> rings = new ArrayList<>();
            collection.getKeyRings().forEachRemaining(rings::add);
            if (rings.isEmpty()) {
                throw new TrustException(source + " holds no OpenPGP public key. Expected an ASCII-armored public key"
                        + " (-----BEGIN PGP PUBLIC KEY BLOCK-----), e.g. from 'gpg --export --armor KEYID'.");
            }
            return rings;
        } catch (IOException | PGPException | RuntimeException e) {
            if (e instanceof TrustException trust) {
                throw trust;
            }
            throw new TrustException(source + " is not a readable OpenPGP public key (" + e.getMessage() + ")."
                    + " Expected an ASCII-armored public key, e.g. from 'gpg --export --armor KEYID'.", e);
        }
    }

    static String fingerprint(PGPPublicKeyRing ring) {
        return Fingerprints.of(ring.getPublicKey().getFingerprint());
    }

    static List<String> userIds(PGPPublicKeyRing ring) {
        List<String> ids = new ArrayList<>();
        Iterator<String> iterator = ring.getPublicKey().getUserIDs();
        iterator.forEachRemaining(ids::add);
        return ids;
    }

    static byte[] armor(PGPPublicKeyRing ring) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ArmoredOutputStream armored = new ArmoredOutputStream(bytes)) {
            ring.encode(armored);
        } catch (IOException e) {
            throw new IllegalStateException("encoding a key in memory failed", e);
        }
        return bytes.toByteArray();
    }
}
