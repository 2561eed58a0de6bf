package dev.jetpack.engine.fetch;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.fetch.http.HttpFetcher;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads what a user names by location for {@code import}: a path, a {@code file:} URL or an {@code http(s):} URL
 * (plain HTTP only when the fetch options allow it). Downloads go through an {@link HttpFetcher} made from the
 * options' {@link FetchOptions#http()}, so they have the caller's TLS trust, timeouts, proxies and error messages,
 * as fetches do.
 */
final class Locations {
    private static final long MAX_SIGNATURE_BYTES = 1024 * 1024;

    private final FetchOptions options;
    private final EngineLog log;

    Locations(FetchOptions options, EngineLog log) {
        this.options = options;
        this.log = log;
    }

    static boolean isUrl(String location) {
        String lower = location.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    static Path localPath(String location) {
        return location.toLowerCase(Locale.ROOT).startsWith("file:") ? Path.of(URI.create(location))
                : Path.of(location);
    }

    /** A small file (a signature) at {@code location}. */
    byte[] readSignature(String location) {
        if (isUrl(location)) {
            return http().fetchBytes(URI.create(location), "signature", MAX_SIGNATURE_BYTES);
        }
        Path file = localPath(location);
        try {
            if (Files.size(file) > MAX_SIGNATURE_BYTES) {
                throw new FetchException("The signature " + file + " is larger than " + MAX_SIGNATURE_BYTES
                        + " bytes: an ASCII-armored detached signature is a few hundred bytes. Give the .asc file.");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new FetchException("The signature " + file + " does not exist. Give the path or URL of the"
                    + " image's .asc file.", e);
        } catch (IOException e) {
            throw new FetchException("Cannot read the signature " + file + ": " + e.getMessage(), e);
        }
    }

    /** Downloads {@code url} into {@code target}. */
    void download(String url, Path target) {
        http().download(URI.create(url), target, "ACI " + url, options.progress());
    }

    /** Made on demand: local paths need no HTTP client (nor a valid proxy environment). */
    private HttpFetcher http() {
        return new HttpFetcher(options.http(), log);
    }
}
