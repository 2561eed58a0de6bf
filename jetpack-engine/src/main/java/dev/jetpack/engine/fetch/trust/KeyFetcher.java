package dev.jetpack.engine.fetch.trust;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.fetch.FetchException;
import dev.jetpack.engine.fetch.discovery.AppcDiscovery;
import dev.jetpack.engine.fetch.discovery.DiscoveryOptions;
import dev.jetpack.engine.fetch.http.HttpFetcher;
import dev.jetpack.engine.fetch.http.HttpSettings;
import dev.jetpack.engine.fetch.http.SafeUris;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Adds keys to a {@link TrustStore} from where publishers put them: a file, an https URL, or the
 * {@code ac-discovery-pubkeys} URLs of a prefix's discovery page. Every method requires a
 * {@link KeyAcceptance}, so nothing is trusted unless the user gave the fingerprint or opted into trust on
 * first use.
 */
public final class KeyFetcher {
    /** Public key files above this size are refused. */
    public static final long MAX_KEY_BYTES = 1024 * 1024;

    private final HttpFetcher http;
    private final AppcDiscovery discovery;
    private final TrustStore trustStore;
    private final EngineLog log;

    public KeyFetcher(HttpFetcher http, AppcDiscovery discovery, TrustStore trustStore, EngineLog log) {
        this.http = http;
        this.discovery = discovery;
        this.trustStore = trustStore;
        this.log = log;
    }

    /**
     * A key fetcher into {@code trustStore} that downloads keys and discovery pages with {@code http}: the same
     * settings (TLS, plain HTTP, timeouts, proxies) as the images they will verify.
     */
    public static KeyFetcher over(HttpSettings http, TrustStore trustStore, EngineLog log) {
        HttpFetcher fetcher = new HttpFetcher(http, log);
        return new KeyFetcher(fetcher, new AppcDiscovery(fetcher, log), trustStore, log);
    }

    /**
     * Trusts the key at {@code location} (a local path, a {@code file:} URL or an http(s) URL) for
     * {@code scope}.
     */
    public List<TrustedKey> trust(TrustScope scope, String location, KeyAcceptance acceptance) {
        URI uri = asUri(location);
        byte[] key;
        if (uri != null && !"file".equalsIgnoreCase(uri.getScheme())) {
            key = http.fetchBytes(uri, "the public key for " + scope, MAX_KEY_BYTES);
        } else {
            Path file = uri != null ? Path.of(uri) : Path.of(location);
            try {
                if (Files.size(file) > MAX_KEY_BYTES) {
                    throw new TrustException(file + " is larger than " + MAX_KEY_BYTES + " bytes; it is not a"
                            + " public key file.");
                }
                key = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new TrustException("Key file " + file + " does not exist. Give the path or URL of an"
                        + " ASCII-armored public key.", e);
            } catch (IOException e) {
                throw new TrustException("Could not read key file " + file + ": " + e, e);
            }
        }
        return trustStore.add(scope, key, acceptance, uri != null ? SafeUris.display(uri) : location);
    }

    /**
     * Trusts the keys that the discovery page of {@code prefix} publishes ({@code ac-discovery-pubkeys}) for
     * that prefix. With an expected fingerprint, the URLs are tried until one holds that key.
     */
    public List<TrustedKey> trustFromDiscovery(String prefix, KeyAcceptance acceptance, DiscoveryOptions options) {
        TrustScope scope = TrustScope.prefix(prefix);
        List<URI> locations = discovery.discoverPublicKeys(prefix, options);
        if (locations.isEmpty()) {
            throw new TrustException("The discovery pages for " + prefix + " publish no public key"
                    + " (<meta name=\"ac-discovery-pubkeys\">). Get the key's URL and fingerprint from the"
                    + " publisher and trust that key for " + prefix + ".",
                    new TrustRemedy.TrustKeyForPrefix(prefix, Optional.empty()));
        }
        List<TrustedKey> added = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (URI location : locations) {
            try {
                added.addAll(trust(scope, location.toString(), acceptance));
                if (acceptance instanceof KeyAcceptance.ExpectedFingerprint) {
                    return added;
                }
            } catch (FetchException e) {
                failures.add(SafeUris.display(location) + ": " + e.getMessage());
                log.debug("Key location " + SafeUris.display(location) + " did not give a trusted key: "
                        + e.getMessage());
            }
        }
        if (added.isEmpty()) {
            throw new TrustException("No key was trusted for " + prefix + " from its published key URLs:\n  "
                    + String.join("\n  ", failures));
        }
        return added;
    }

    private static URI asUri(String location) {
        String lower = location.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("file:")) {
            try {
                return URI.create(location);
            } catch (IllegalArgumentException e) {
                throw new TrustException("'" + location + "' is not a valid URL: " + e.getMessage());
            }
        }
        return null;
    }
}
