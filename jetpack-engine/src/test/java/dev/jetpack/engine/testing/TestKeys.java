package dev.jetpack.engine.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Date;
import java.util.HexFormat;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.BCPGOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicSubkeyPacket;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;

/**
 * OpenPGP keys made at test time (Ed25519 by default: fast; RSA 2048 on request), with their armored public
 * key and detached armored signatures, as a publisher would produce with gpg.
 */
public final class TestKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestKeys() {
    }

    /** A key pair usable for signing; the public side is a complete key ring with a self-signed user ID. */
    public static final class TestKey {
        private final PGPPublicKeyRing publicRing;
        private final PGPKeyPair signingPair;

        TestKey(PGPPublicKeyRing publicRing, PGPKeyPair signingPair) {
            this.publicRing = publicRing;
            this.signingPair = signingPair;
        }

        public PGPPublicKeyRing publicKeyRing() {
            return publicRing;
        }

        /** The primary key's fingerprint in uppercase hex. */
        public String fingerprint() {
            return HexFormat.of().withUpperCase().formatHex(publicRing.getPublicKey().getFingerprint());
        }

        public String keyId() {
            return String.format("%016X", signingPair.getKeyID());
        }

        public byte[] armoredPublicKey() {
            return armor(publicRing::encode);
        }

        /** A detached, armored binary-document signature over {@code data}. */
        public byte[] sign(byte[] data) {
            return armor(detachedSignature(data, signingPair.getPublicKey(), signingPair.getPrivateKey())::encode);
        }

        /** A ring equal to this key's with {@code foreign}'s key appended as a subkey WITHOUT a binding. */
        public byte[] armoredWithUnboundSubkey(TestKey foreign) {
            try {
                PGPPublicKey foreignKey = foreign.signingPair.getPublicKey();
                PGPPublicKey subkey = new PGPPublicKey(new PublicSubkeyPacket(foreignKey.getAlgorithm(),
                        foreignKey.getCreationTime(), foreignKey.getPublicKeyPacket().getKey()),
                        new BcKeyFingerprintCalculator());
                PGPPublicKeyRing ring = PGPPublicKeyRing.insertPublicKey(publicRing, subkey);
                return armor(ring::encode);
            } catch (PGPException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Ed25519 primary key that signs, like 'gpg --quick-gen-key USER ed25519 sign'. */
    public static TestKey ed25519(String userId) {
        Ed25519KeyPairGenerator generator = new Ed25519KeyPairGenerator();
        generator.init(new Ed25519KeyGenerationParameters(RANDOM));
        return primaryOnly(PublicKeyAlgorithmTags.EDDSA_LEGACY, generator.generateKeyPair(), userId);
    }

    /** RSA 2048 primary key that signs. */
    public static TestKey rsa(String userId) {
        RSAKeyPairGenerator generator = new RSAKeyPairGenerator();
        generator.init(new RSAKeyGenerationParameters(BigInteger.valueOf(0x10001), RANDOM, 2048, 80));
        return primaryOnly(PublicKeyAlgorithmTags.RSA_GENERAL, generator.generateKeyPair(), userId);
    }

    /** An Ed25519 primary key (certify only) with a properly bound Ed25519 signing subkey that makes signatures. */
    public static TestKey ed25519WithSigningSubkey(String userId) {
        try {
            PGPKeyPair primary = pair(PublicKeyAlgorithmTags.EDDSA_LEGACY, ed25519Raw());
            PGPKeyPair subkey = pair(PublicKeyAlgorithmTags.EDDSA_LEGACY, ed25519Raw());
            PGPKeyRingGenerator generator = ringGenerator(primary, userId, KeyFlags.CERTIFY_OTHER);
            PGPSignatureSubpacketGenerator flags = new PGPSignatureSubpacketGenerator();
            flags.setKeyFlags(false, KeyFlags.SIGN_DATA);
            generator.addSubKey(subkey, flags.generate(), null);
            return new TestKey(generator.generatePublicKeyRing(), subkey);
        } catch (PGPException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AsymmetricCipherKeyPair ed25519Raw() {
        Ed25519KeyPairGenerator generator = new Ed25519KeyPairGenerator();
        generator.init(new Ed25519KeyGenerationParameters(RANDOM));
        return generator.generateKeyPair();
    }

    private static TestKey primaryOnly(int algorithm, AsymmetricCipherKeyPair raw, String userId) {
        try {
            PGPKeyPair pair = pair(algorithm, raw);
            PGPKeyRingGenerator generator = ringGenerator(pair, userId, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
            return new TestKey(generator.generatePublicKeyRing(), pair);
        } catch (PGPException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PGPKeyPair pair(int algorithm, AsymmetricCipherKeyPair raw) throws PGPException {
        // A fixed past creation time keeps signatures made right away after the key's creation.
        return new BcPGPKeyPair(algorithm, raw, new Date(System.currentTimeMillis() - 60_000));
    }

    private static PGPKeyRingGenerator ringGenerator(PGPKeyPair primary, String userId, int flags)
            throws PGPException {
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setKeyFlags(false, flags);
        return new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, primary, userId,
                new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1), hashed.generate(), null,
                new BcPGPContentSignerBuilder(primary.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256), null);
    }

    private static PGPSignature detachedSignature(byte[] data, PGPPublicKey publicKey, PGPPrivateKey privateKey) {
        try {
            PGPSignatureGenerator generator = new PGPSignatureGenerator(
                    new BcPGPContentSignerBuilder(publicKey.getAlgorithm(), HashAlgorithmTags.SHA256), publicKey);
            generator.init(PGPSignature.BINARY_DOCUMENT, privateKey);
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setIssuerFingerprint(false, publicKey);
            hashed.setSignatureCreationTime(false, new Date());
            generator.setHashedSubpackets(hashed.generate());
            generator.update(data);
            return generator.generate();
        } catch (PGPException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    private interface Encoder {
        void encode(java.io.OutputStream out) throws IOException;
    }

    private static byte[] armor(Encoder encoder) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ArmoredOutputStream armored = new ArmoredOutputStream(bytes);
                BCPGOutputStream packets = new BCPGOutputStream(armored)) {
            encoder.encode(packets);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }
}
