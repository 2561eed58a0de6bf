package dev.jetpack.engine.fetch;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.fetch.http.CacheValidators;
import dev.jetpack.engine.io.AtomicFiles;
import dev.jetpack.engine.io.Sha256;
import dev.jetpack.engine.store.ImageStore;
import dev.jetpack.engine.store.StoredImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Which stored image a source gave last time: per URL (with the ETag/Last-Modified the server sent with it, for
 * the next conditional request), per identity of a local file, and per OCI image (config digest) and reference. One small properties file per source in the
 * store's {@code cache/fetched/}. The records only save work: a lost or damaged one costs a download, and an
 * image removed from the store makes its record meaningless ({@link #lookup} callers check that it is stored).
 */
public final class FetchRecords {
    /**
     * What a source gave: the image's ID, for a URL the validators of the body it came in, and how the image is
     * named in messages ({@link StoredImage#describe()}; empty in records written before it was kept), so that
     * saying which image an unchanged source holds does not read the image's manifest.
     */
    public record Entry(ImageId id, Optional<CacheValidators> validators, Optional<String> description) {
    }

    private final Path directory;
    private final EngineLog log;

    private FetchRecords(Path directory, EngineLog log) {
        this.directory = directory;
        this.log = log;
    }

    /** The records of {@code store}. */
    public static FetchRecords of(ImageStore store, EngineLog log) {
        return new FetchRecords(store.cacheDirectory("fetched"), log);
    }

    public Optional<Entry> lookup(String source) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file(source))) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty(); // a damaged record only costs a download
        }
        String id = properties.getProperty("id", "");
        if (!source.equals(properties.getProperty("source")) || !ImageId.isValid(id)) {
            return Optional.empty();
        }
        String etag = properties.getProperty("etag");
        String lastModified = properties.getProperty("lastModified");
        Optional<CacheValidators> validators = etag == null && lastModified == null ? Optional.empty()
                : Optional.of(new CacheValidators(etag, lastModified));
        return Optional.of(new Entry(ImageId.parse(id), validators,
                Optional.ofNullable(properties.getProperty("description"))));
    }

    /** Records that {@code source} gave {@code image}; {@code display} names the source in a warning. */
    public void remember(String source, StoredImage image, Optional<CacheValidators> validators, String display) {
        Properties properties = new Properties();
        properties.setProperty("source", source);
        properties.setProperty("id", image.id().value());
        properties.setProperty("description", image.describe());
        validators.ifPresent(known -> {
            if (known.etag() != null) {
                properties.setProperty("etag", known.etag());
            }
            if (known.lastModified() != null) {
                properties.setProperty("lastModified", known.lastModified());
            }
        });
        try {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            properties.store(text, "jetpack: the image this source gave last time");
            AtomicFiles.write(file(source), text.toByteArray());
        } catch (IOException e) {
            log.warn("Could not record which image " + display + " holds (" + e
                    + "); the next fetch of it will read it again.");
        }
    }

    private Path file(String source) {
        return directory.resolve(Sha256.hex(source.getBytes(StandardCharsets.UTF_8)) + ".properties");
    }
}
