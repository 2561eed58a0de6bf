package dev.jetpack.engine.fetch.trust;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.bouncycastle.bcpg.sig.IssuerFingerprint;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Verifies an image's detached OpenPGP signature (ASCII-armored, over the ACI bytes exactly as served, i.e.
 * still compressed) against the keys the {@link TrustStore} trusts for the image's name.
 *
 * <p>The signer is checked before any image byte is read ({@link #begin}), so an untrusted image fails before
 * its download; the bytes are then fed through as they stream by and {@link PendingVerification#finish()}
 * gives the verdict. Every rejection is an exception: an unknown signer ({@link UnknownSignerException}, with
 * the command that would trust it), a signature that does not match the bytes, a revoked or expired key.
 */
public final class SignatureVerifier {
    private static final long MAX_SIGNATURE_BYTES = 64 * 1024;

    private final TrustStore trustStore;

    public SignatureVerifier(TrustStore trustStore) {
        this.trustStore = trustStore;
    }

    /** Verifies {@code aci} (a file) against the armored signature file {@code signature}. */
    public VerifiedSignature verify(String imageName, Path aci, Path signature) {
        try (InputStream in = Files.newInputStream(aci)) {
            return verify(imageName, in, readSignatureFile(signature));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + aci, e);
        }
    }

    /** Verifies the bytes of {@code aci} (read to the end, not closed) against an armored signature. */
    public VerifiedSignature verify(String imageName, InputStream aci, byte[] armoredSignature) {
        PendingVerification pending = begin(imageName, armoredSignature);
        byte[] buffer = new byte[64 * 1024];
        try {
            int n;
            while ((n = aci.read(buffer)) >= 0) {
                pending.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the ACI of " + imageName + " to verify its signature", e);
        }
        return pending.finish();
    }

    /**
     * Starts verifying: parses the signature and finds a trusted key for its signer.
     *
     * @throws UnknownSignerException when no signature in it is by a key trusted for {@code imageName}
     * @throws TrustException when the data is not an OpenPGP signature
     */
    public PendingVerification begin(String imageName, byte[] armoredSignature) {
        List<PGPSignature> signatures = parseSignatures(imageName, armoredSignature);
        List<TrustedKey> trusted = trustStore.keysFor(imageName);
        List<Candidate> candidates = new ArrayList<>();
        for (PGPSignature signature : signatures) {
            // One candidate per signature: each signature object hashes the bytes once, with one key.
            for (TrustedKey key : trusted) {
                Optional<PGPPublicKey> signing = signingKey(key, signature.getKeyID());
                if (signing.isPresent()) {
                    candidates.add(new Candidate(signature, key, signing.get()));
                    break;
                }
            }
        }
        if (candidates.isEmpty()) {
            throw unknownSigner(imageName, signatures.get(0));
        }
        return new PendingVerification(this, imageName, signatures.get(0), initialised(imageName, candidates));
    }

    /**
     * Starts verifying a signature whose image name is not known yet (an ACI fetched by URL: its name is in the
     * manifest inside the bytes being verified). Every trusted key of the signer, whatever its scope, hashes the
     * bytes as they stream by; {@link PendingVerification#finish(String)} then accepts only a key trusted for the
     * name the manifest turned out to carry. An unknown signer is reported there, with that name.
     *
     * @param what the signed thing for messages, e.g. its URL
     * @throws TrustException when the data is not an OpenPGP signature
     */
    public PendingVerification beginForAnyName(String what, byte[] armoredSignature) {
        List<PGPSignature> signatures = parseSignatures(what, armoredSignature);
        List<TrustedKey> trusted = trustStore.list();
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < signatures.size(); i++) {
            long keyId = signatures.get(i).getKeyID();
            for (TrustedKey key : trusted) {
                Optional<PGPPublicKey> signing = signingKey(key, keyId);
                if (signing.isPresent()) {
                    // A signature object hashes for one key only: each key (or scope) gets its own copy.
                    candidates.add(new Candidate(parseSignatures(what, armoredSignature).get(i), key, signing.get()));
                }
            }
        }
        return new PendingVerification(this, null, signatures.get(0), initialised(what, candidates));
    }

    private static List<Candidate> initialised(String what, List<Candidate> candidates) {
        for (Candidate candidate : candidates) {
            try {
                candidate.signature().init(new BcPGPContentVerifierBuilderProvider(), candidate.publicKey());
            } catch (PGPException e) {
                throw new TrustException("Cannot verify the signature of " + what + " with key "
                        + candidate.key().fingerprint() + ": " + e.getMessage(), e);
            }
        }
        return candidates;
    }

    /** A verification in progress: feed it the ACI bytes, then ask for the verdict. */
    public static final class PendingVerification {
        private final SignatureVerifier verifier;
        private final String imageName;
        private final PGPSignature firstSignature;
        private final List<Candidate> candidates;

        private PendingVerification(SignatureVerifier verifier, String imageName, PGPSignature firstSignature,
                List<Candidate> candidates) {
            this.verifier = verifier;
            this.imageName = imageName;
            this.firstSignature = firstSignature;
            this.candidates = candidates;
        }

        public void update(byte[] buffer, int offset, int length) {
            for (Candidate candidate : candidates) {
                candidate.signature().update(buffer, offset, length);
            }
        }

        /** {@code in} with every byte read from it fed to this verification. */
        public InputStream wrap(InputStream in) {
            return new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        update(new byte[] {(byte) b}, 0, 1);
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    if (n > 0) {
                        update(buffer, offset, n);
                    }
                    return n;
                }

                @Override
                public long skip(long n) throws IOException {
                    // Skipped bytes must still be hashed.
                    byte[] sink = new byte[(int) Math.min(n, 8192)];
                    int read = read(sink, 0, sink.length);
                    return Math.max(read, 0);
                }

                @Override
                public boolean markSupported() {
                    return false;
                }
            };
        }

        /**
         * The verdict after all bytes were fed, for a verification {@linkplain #begin begun with the image name}.
         *
         * @throws TrustException when the signature does not match the bytes, or the key is expired or revoked
         */
        public VerifiedSignature finish() {
            if (imageName == null) {
                throw new IllegalStateException("begun without an image name: call finish(imageName)");
            }
            return finish(imageName);
        }

        /**
         * The verdict after all bytes were fed, for the image named {@code name} (the name it was begun with, or,
         * after {@link #beginForAnyName}, the name in the verified bytes' manifest): only a key trusted for that
         * name counts.
         *
         * @throws UnknownSignerException when no key trusted for {@code name} made the signature
         * @throws TrustException when the signature does not match the bytes, or the key is expired or revoked
         */
        public VerifiedSignature finish(String name) {
            List<Candidate> trusted = candidates.stream().filter(c -> c.key().scope().covers(name)).toList();
            if (trusted.isEmpty()) {
                throw verifier.unknownSigner(name, firstSignature);
            }
            for (Candidate candidate : trusted) {
                boolean good;
                try {
                    good = candidate.signature().verify();
                } catch (PGPException e) {
                    good = false;
                }
                if (good) {
                    checkKeyValidity(name, candidate);
                    TrustedKey key = candidate.key();
                    return new VerifiedSignature(key.fingerprint(), key.userIds(), key.scope());
                }
            }
            Candidate first = trusted.get(0);
            throw new TrustException("BAD signature for " + name + ": the signature by trusted key "
                    + first.key().fingerprint() + " does not match the ACI's bytes. The image was altered after"
                    + " signing, or the signature belongs to another file. The image was rejected; do not use it.");
        }
    }

    private record Candidate(PGPSignature signature, TrustedKey key, PGPPublicKey publicKey) {
    }

    private static void checkKeyValidity(String imageName, Candidate candidate) {
        PGPPublicKey primary = candidate.key().keyRing().getPublicKey();
        if (primary.hasRevocation() || candidate.publicKey().hasRevocation()) {
            throw new TrustException("The signature of " + imageName + " is by key " + candidate.key().fingerprint()
                    + ", which has been revoked. The image was rejected; ask the publisher for an image signed"
                    + " with their current key.");
        }
        Date signed = candidate.signature().getCreationTime();
        for (PGPPublicKey key : List.of(primary, candidate.publicKey())) {
            long valid = key.getValidSeconds();
            if (valid > 0 && signed.getTime() > key.getCreationTime().getTime() + valid * 1000) {
                throw new TrustException("The signature of " + imageName + " was made on " + signed.toInstant()
                        + " by key " + candidate.key().fingerprint() + " after the key expired. The image was"
                        + " rejected; ask the publisher to re-sign it with a valid key and update the trusted key.");
            }
        }
    }

    /**
     * The key in {@code key}'s ring that made a signature with {@code keyId}: the primary key, or a subkey
     * that the primary key bound to itself for signing. An unbound subkey (anyone can append one to a key
     * file in transit) is never used.
     */
    private static Optional<PGPPublicKey> signingKey(TrustedKey key, long keyId) {
        PGPPublicKey candidate = key.keyRing().getPublicKey(keyId);
        if (candidate == null) {
            return Optional.empty();
        }
        if (candidate.isMasterKey()) {
            return Optional.of(candidate);
        }
        PGPPublicKey primary = key.keyRing().getPublicKey();
        Iterator<PGPSignature> bindings = candidate.getSignaturesOfType(PGPSignature.SUBKEY_BINDING);
        while (bindings.hasNext()) {
            PGPSignature binding = bindings.next();
            try {
                binding.init(new BcPGPContentVerifierBuilderProvider(), primary);
                if (binding.getKeyID() == primary.getKeyID() && binding.verifyCertification(primary, candidate)
                        && maySign(binding)) {
                    return Optional.of(candidate);
                }
            } catch (PGPException e) {
                // a binding we cannot verify does not bind
            }
        }
        return Optional.empty();
    }

    private static boolean maySign(PGPSignature binding) {
        PGPSignatureSubpacketVector hashed = binding.getHashedSubPackets();
        if (hashed == null || hashed.getKeyFlags() == 0) {
            return true; // no key flags: usage unrestricted
        }
        return (hashed.getKeyFlags() & KeyFlags.SIGN_DATA) != 0;
    }

    private List<PGPSignature> parseSignatures(String imageName, byte[] armored) {
        List<PGPSignature> signatures = new ArrayList<>();
        try {
            collectSignatures(new BcPGPObjectFactory(PGPUtil.getDecoderStream(new ByteArrayInputStream(armored))),
                    signatures);
        } catch (IOException | PGPException | RuntimeException e) {
            throw new TrustException("The signature file of " + imageName + " is not a readable OpenPGP signature ("
                    + e.getMessage() + "). Expected an ASCII-armored detached signature"
                    + " (-----BEGIN PGP SIGNATURE-----), e.g. from 'gpg --armor --detach-sign IMAGE.aci'.", e);
        }
        signatures.removeIf(s -> s.getSignatureType() != PGPSignature.BINARY_DOCUMENT);
        if (signatures.isEmpty()) {
            throw new TrustException("The signature file of " + imageName + " holds no detached signature over a"
                    + " binary document. Expected the output of 'gpg --armor --detach-sign IMAGE.aci'.");
        }
        return signatures;
    }

    private static void collectSignatures(BcPGPObjectFactory factory, List<PGPSignature> into)
            throws IOException, PGPException {
        Object next;
        while ((next = factory.nextObject()) != null) {
            if (next instanceof PGPSignatureList list) {
                list.forEach(into::add);
            } else if (next instanceof PGPCompressedData compressed) {
                collectSignatures(new BcPGPObjectFactory(compressed.getDataStream()), into);
            }
        }
    }

    private UnknownSignerException unknownSigner(String imageName, PGPSignature signature) {
        String keyId = Fingerprints.keyId(signature.getKeyID());
        String fingerprint = issuerFingerprint(signature).orElse(null);
        List<String> prefixes = new ArrayList<>();
        for (String prefix = imageName;; prefix = prefix.substring(0, prefix.lastIndexOf('/'))) {
            prefixes.add(prefix);
            if (prefix.lastIndexOf('/') <= 0) {
                break;
            }
        }
        String elsewhere = trustStore.list().stream()
                .filter(k -> k.keyRing().getPublicKey(signature.getKeyID()) != null)
                .map(k -> k.scope().toString())
                .collect(Collectors.joining(", "));
        String signer = fingerprint != null ? "key " + fingerprint + " (key ID " + keyId + ")"
                : "the key with ID " + keyId;
        return new UnknownSignerException("The image " + imageName + " is signed by " + signer + ", which is not"
                + " trusted for it: no trusted key for " + String.join(", ", prefixes) + " or the root matches."
                + (elsewhere.isEmpty() ? "" : " That key is trusted only for " + elsewhere + ".")
                + " The image was rejected. If you trust the signer, get their key, check its fingerprint"
                + (fingerprint != null ? " " + fingerprint : "") + " with them and trust the key for " + imageName
                + ".",
                imageName, keyId, fingerprint);
    }

    private static Optional<String> issuerFingerprint(PGPSignature signature) {
        for (PGPSignatureSubpacketVector packets : new PGPSignatureSubpacketVector[] {
            signature.getHashedSubPackets(), signature.getUnhashedSubPackets()}) {
            if (packets != null) {
                IssuerFingerprint issuer = packets.getIssuerFingerprint();
                if (issuer != null) {
                    return Optional.of(Fingerprints.of(issuer.getFingerprint()));
                }
            }
        }
        return Optional.empty();
    }

    private static byte[] readSignatureFile(Path signature) throws IOException {
        if (Files.size(signature) > MAX_SIGNATURE_BYTES) {
            throw new TrustException(signature + " is larger than " + MAX_SIGNATURE_BYTES + " bytes; a detached"
                    + " signature is a few hundred bytes. It is not a signature file.");
        }
        return Files.readAllBytes(signature);
    }
}
