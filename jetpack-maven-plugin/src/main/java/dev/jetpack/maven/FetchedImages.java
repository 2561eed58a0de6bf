package dev.jetpack.maven;

import dev.jetpack.engine.fetch.ImageSource;
import dev.jetpack.engine.store.StoredImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.maven.project.MavenProject;

/**
 * The images a goal got into the store earlier in this build of the project, kept in the project's context: the
 * parent that {@code jetpack:fetch} got at {@code initialize} is the one {@code jetpack:build} builds on at
 * {@code package}, as Maven resolves a dependency once per build. Without it, the build goal looked the parent up a
 * second time, a tenth of a no-op build, and logged the same line about it twice.
 *
 * <p>An answer holds only for the same source, store and reader settings; for an image file, only while the file
 * has the size and modification time it had (a prepare step may write the parent). Images in an OCI layout or a
 * docker archive are always fetched again: their content is spread over files this class does not watch.
 */
final class FetchedImages {
    private static final String CONTEXT_KEY = "dev.jetpack.maven.fetchedImages";

    /**
     * What a fetch depended on: the same key gives the same stored image.
     *
     * <p>This record, {@link FileStamp} and {@link ImageSource.LocalFile} write their {@code equals} and
     * {@code hashCode} out: the generated ones bootstrap method handles on first use, some 30 ms of every no-op
     * build's fresh JVM (a third of its budget), and a no-op calls them once.
     */
    record Key(Path store, ImageSource source, String readerSettings) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && store.equals(key.store) && source.equals(key.source)
                    && readerSettings.equals(key.readerSettings);
        }

        @Override
        public int hashCode() {
            return (store.hashCode() * 31 + source.hashCode()) * 31 + readerSettings.hashCode();
        }
    }

    private record Entry(StoredImage image, FileStamp stamp) {
    }

    /** An image file's size and modification time; null for a source that is not a file. */
    record FileStamp(long size, long modifiedNanos) {
        @Override
        public boolean equals(Object other) {
            return other instanceof FileStamp stamp && size == stamp.size && modifiedNanos == stamp.modifiedNanos;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(size) * 31 + Long.hashCode(modifiedNanos);
        }

        static FileStamp of(ImageSource source) {
            if (!(source instanceof ImageSource.LocalFile file)) {
                return null;
            }
            try {
                BasicFileAttributes attributes = Files.readAttributes(file.path(), BasicFileAttributes.class);
                return new FileStamp(attributes.size(),
                        attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS));
            } catch (IOException e) {
                return new FileStamp(-1, -1); // gone: matches no stamp taken of an existing file
            }
        }
    }

    private final Map<Key, Entry> images;

    private FetchedImages(Map<Key, Entry> images) {
        this.images = images;
    }

    /** The project's record, made on first use. */
    @SuppressWarnings("unchecked")
    static FetchedImages of(MavenProject project) {
        Object known = project.getContextValue(CONTEXT_KEY);
        if (known instanceof Map<?, ?> map) {
            return new FetchedImages((Map<Key, Entry>) map);
        }
        Map<Key, Entry> images = new ConcurrentHashMap<>();
        project.setContextValue(CONTEXT_KEY, images);
        return new FetchedImages(images);
    }

    /** The image fetched before under {@code key}, if it still holds. */
    Optional<StoredImage> find(Key key) {
        if (!reusable(key.source())) {
            return Optional.empty();
        }
        Entry entry = images.get(key);
        if (entry == null || !Objects.equals(entry.stamp(), FileStamp.of(key.source()))) {
            return Optional.empty();
        }
        return Optional.of(entry.image());
    }

    /**
     * Records what {@code key} gave. {@code stampBefore} is the file's stamp taken before the fetch read it, so
     * that a file rewritten during the fetch is not taken for the one that was read.
     */
    void remember(Key key, FileStamp stampBefore, StoredImage image) {
        if (reusable(key.source())) {
            images.put(key, new Entry(image, stampBefore));
        }
    }

    /** The stamp to pass to {@link #remember}, taken before fetching; null for a source that is not a file. */
    static FileStamp stamp(ImageSource source) {
        return FileStamp.of(source);
    }

    private static boolean reusable(ImageSource source) {
        return !(source instanceof ImageSource.OciLayoutSource) && !(source instanceof ImageSource.DockerArchive);
    }
}
