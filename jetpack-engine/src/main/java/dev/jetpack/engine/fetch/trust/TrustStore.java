package dev.jetpack.engine.fetch.trust;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.bouncycastle.openpgp.PGPPublicKeyRing;

/**
 * The OpenPGP keys trusted to sign images, kept in a directory:
 *
 * <pre>
 * DIR/root.d/FINGERPRINT.asc                      keys trusted for every image
 * DIR/prefix.d/example.com/apps/FINGERPRINT.asc   keys trusted for example.com/apps and below
 * </pre>
 *
 * <p>A prefix's segments are directories, so the keys for an image are those of the directories along its
 * name, which makes prefix matching segment-wise by construction ({@code example.com/foo} never trusts
 * {@code example.com/foobar}). Each file holds one armored key ring, named by its primary key's fingerprint;
 * a file whose content does not match its name is ignored with a warning.
 */
public final class TrustStore {
    static final String ROOT_DIR = "root.d";
    static final String PREFIX_DIR = "prefix.d";
    private static final String SUFFIX = ".asc";

    private final Path directory;
    private final EngineLog log;

    public TrustStore(Path directory, EngineLog log) {
        this.directory = directory;
        this.log = log;
    }

    /** The trust store inside a jetpack store directory ({@code STORE/trustedkeys}). */
    public static TrustStore inStoreDirectory(Path storeDirectory, EngineLog log) {
        return new TrustStore(storeDirectory.resolve("trustedkeys"), log);
    }

    public Path directory() {
        return directory;
    }

    /**
     * Adds the key(s) in {@code armoredKey} for {@code scope}. With an expected fingerprint only the key ring
     * with that primary fingerprint is stored (and anything else in the data is dropped); with trust on first
     * use every key offered is stored and a warning names each.
     *
     * @param source where the key came from, for messages (a URL or file)
     * @return the keys now trusted
     * @throws TrustException when the data holds no key, the expected fingerprint is not among the keys, or
     *     the key carries a revocation
     */
    public List<TrustedKey> add(TrustScope scope, byte[] armoredKey, KeyAcceptance acceptance, String source) {
        List<PGPPublicKeyRing> offered = OpenPgpKeys.read(armoredKey, source);
        List<PGPPublicKeyRing> accepted = new ArrayList<>();
        if (acceptance instanceof KeyAcceptance.ExpectedFingerprint expected) {
            offered.stream().filter(ring -> OpenPgpKeys.fingerprint(ring).equals(expected.fingerprint()))
                    .findFirst().ifPresent(accepted::add);
            if (accepted.isEmpty()) {
                throw new TrustException("The key from " + source + " has fingerprint "
                        + String.join(", ", offered.stream().map(OpenPgpKeys::fingerprint).toList())
                        + ", not the expected " + expected.fingerprint() + ". It was NOT trusted. Check that you"
                        + " have the right key URL and the fingerprint the publisher gave you.");
            }
        } else {
            accepted.addAll(offered);
        }
        List<TrustedKey> added = new ArrayList<>();
        for (PGPPublicKeyRing ring : accepted) {
            String fingerprint = OpenPgpKeys.fingerprint(ring);
            if (ring.getPublicKey().hasRevocation()) {
                throw new TrustException("The key " + fingerprint + " from " + source + " has been revoked by its"
                        + " owner; it was NOT trusted. Ask the publisher for their current key.");
            }
            Path file = scopeDirectory(scope).resolve(fingerprint + SUFFIX);
            try {
                AtomicFiles.write(file, OpenPgpKeys.armor(ring));
            } catch (IOException e) {
                throw new TrustException("Could not write the trusted key " + file + ": " + e + ". Check that "
                        + directory + " is writable.", e);
            }
            TrustedKey key = new TrustedKey(fingerprint, scope, OpenPgpKeys.userIds(ring), file, ring);
            if (acceptance instanceof KeyAcceptance.TrustOnFirstUse) {
                log.warn("Trusting key " + key + " from " + source + " on first use, WITHOUT a fingerprint check."
                        + " Compare it with the fingerprint the publisher gives.");
            } else {
                log.info("Trusted key " + key + " from " + source);
            }
            added.add(key);
        }
        return added;
    }

    /** Removes the key with this fingerprint from every scope; returns what was removed (empty if none). */
    /**
     * {@link #remove} for a user who named a key: a fingerprint that no trusted key has is an error.
     *
     * @throws TrustException when no trusted key has {@code fingerprint}
     */
    public List<TrustedKey> untrust(String fingerprint) {
        List<TrustedKey> removed = remove(fingerprint);
        if (removed.isEmpty()) {
            throw new TrustException("No trusted key has the fingerprint " + fingerprint + " in " + directory()
                    + ". List the trusted keys and give one of their fingerprints.",
                    new TrustRemedy.ListTrustedKeys());
        }
        return removed;
    }

    public List<TrustedKey> remove(String fingerprint) {
        String normalized = Fingerprints.normalize(fingerprint);
        List<TrustedKey> removed = new ArrayList<>();
        for (TrustedKey key : list()) {
            if (key.fingerprint().equals(normalized)) {
                try {
                    Files.deleteIfExists(key.file());
                } catch (IOException e) {
                    throw new TrustException("Could not remove the trusted key " + key.file() + ": " + e, e);
                }
                log.info("Removed trusted key " + key);
                removed.add(key);
            }
        }
        return removed;
    }

    /** Every trusted key, root keys first, then by prefix. */
    public List<TrustedKey> list() {
        List<TrustedKey> keys = new ArrayList<>(keysIn(directory.resolve(ROOT_DIR), TrustScope.root()));
        Path prefixes = directory.resolve(PREFIX_DIR);
        if (Files.isDirectory(prefixes, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> dirs = Files.walk(prefixes)) {
                for (Path dir : dirs.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                        .sorted(Comparator.comparing(Path::toString)).toList()) {
                    if (!dir.equals(prefixes)) {
                        keys.addAll(keysIn(dir, scopeOf(prefixes.relativize(dir))));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Could not list the trust store " + directory, e);
            }
        }
        return keys;
    }

    /** The keys that may sign an image named {@code imageName}: root keys and those of each of its prefixes. */
    public List<TrustedKey> keysFor(String imageName) {
        List<TrustedKey> keys = new ArrayList<>(keysIn(directory.resolve(ROOT_DIR), TrustScope.root()));
        String prefix = imageName;
        while (true) {
            TrustScope scope = validScope(prefix);
            if (scope != null) {
                keys.addAll(keysIn(scopeDirectory(scope), scope));
            }
            int slash = prefix.lastIndexOf('/');
            if (slash <= 0) {
                return keys;
            }
            prefix = prefix.substring(0, slash);
        }
    }

    private static TrustScope validScope(String prefix) {
        try {
            return TrustScope.prefix(prefix);
        } catch (TrustException e) {
            return null; // not a valid name: no prefix directory can exist for it
        }
    }

    private Path scopeDirectory(TrustScope scope) {
        if (scope.isRoot()) {
            return directory.resolve(ROOT_DIR);
        }
        Path dir = directory.resolve(PREFIX_DIR);
        for (String segment : scope.prefix().split("/")) {
            dir = dir.resolve(segment);
        }
        return dir;
    }

    private static TrustScope scopeOf(Path relative) {
        List<String> segments = new ArrayList<>();
        relative.forEach(p -> segments.add(p.toString()));
        return validScope(String.join("/", segments));
    }

    private List<TrustedKey> keysIn(Path dir, TrustScope scope) {
        if (scope == null || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<TrustedKey> keys = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (!name.endsWith(SUFFIX) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                load(file, scope).ifPresent(keys::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the trust store directory " + dir, e);
        }
        return keys;
    }

    private Optional<TrustedKey> load(Path file, TrustScope scope) throws IOException {
        String expected = file.getFileName().toString();
        expected = expected.substring(0, expected.length() - SUFFIX.length());
        List<PGPPublicKeyRing> rings;
        try {
            rings = OpenPgpKeys.read(Files.readAllBytes(file), file.toString());
        } catch (TrustException e) {
            log.warn("Ignoring unreadable trusted key file " + file + ": " + e.getMessage());
            return Optional.empty();
        }
        if (rings.size() != 1 || !OpenPgpKeys.fingerprint(rings.get(0)).equals(expected)) {
            log.warn("Ignoring trusted key file " + file + ": it does not hold exactly the key its name says."
                    + " Remove it and trust the key again.");
            return Optional.empty();
        }
        PGPPublicKeyRing ring = rings.get(0);
        return Optional.of(new TrustedKey(expected, scope, OpenPgpKeys.userIds(ring), file, ring));
    }
}
