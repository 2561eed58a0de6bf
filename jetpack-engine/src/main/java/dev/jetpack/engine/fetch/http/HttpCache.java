package dev.jetpack.engine.fetch.http;

import dev.jetpack.engine.io.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;

/**
 * One small record per URL: the validators the server sent (ETag, Last-Modified) and the file the body was
 * saved to, with its size and modification time. A record is only used while that file is unchanged, so a
 * 304 answer can never hand back a file that differs from what the server sent.
 */
final class HttpCache {
    /** What was saved from one URL. */
    record Entry(String etag, String lastModified, Path file, long size, long modifiedMillis) {
        boolean fileUnchanged() {
            try {
                return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) == size
                        && Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toMillis() == modifiedMillis;
            } catch (IOException e) {
                return false;
            }
        }
    }

    private final Path directory;

    HttpCache(Path directory) {
        this.directory = directory;
    }

    Optional<Entry> lookup(URI uri) {
        Path record = recordFile(uri);
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(record)) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            // A damaged record only costs a full download.
            return Optional.empty();
        }
        if (!uri.toString().equals(properties.getProperty("url"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Entry(properties.getProperty("etag"), properties.getProperty("lastModified"),
                    Path.of(properties.getProperty("file")), Long.parseLong(properties.getProperty("size")),
                    Long.parseLong(properties.getProperty("modifiedMillis"))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Records that {@code file} now holds the body of {@code uri} with the given validators. */
    void remember(URI uri, String etag, String lastModified, Path file) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("url", uri.toString());
        if (etag != null) {
            properties.setProperty("etag", etag);
        }
        if (lastModified != null) {
            properties.setProperty("lastModified", lastModified);
        }
        Path absolute = file.toAbsolutePath().normalize();
        properties.setProperty("file", absolute.toString());
        properties.setProperty("size", Long.toString(Files.size(absolute)));
        properties.setProperty("modifiedMillis",
                Long.toString(Files.getLastModifiedTime(absolute, LinkOption.NOFOLLOW_LINKS).toMillis()));
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        properties.store(text, "jetpack HTTP cache record");
        Files.createDirectories(directory);
        AtomicFiles.write(recordFile(uri), text.toByteArray());
    }

    void forget(URI uri) throws IOException {
        Files.deleteIfExists(recordFile(uri));
    }

    private Path recordFile(URI uri) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(uri.toString().getBytes(StandardCharsets.UTF_8));
            return directory.resolve(HexFormat.of().formatHex(digest) + ".properties");
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException("SHA-256 missing from the JDK", e));
        }
    }
}
