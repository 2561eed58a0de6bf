package dev.jetpack.engine.store;

import dev.jetpack.engine.aci.AciReader;
import java.util.Objects;

/**
 * How {@link ImageStore#importAci} treats one import.
 *
 * @param source             where the ACI came from (a path or URL), for log messages and the image's record
 * @param dependencyResolver obtains dependencies the store does not hold; {@link DependencyResolver#STORE_ONLY}
 *                           by default
 * @param readerOptions      limits and permissions for unpacking ({@link AciReader.Options#defaults()} by default)
 * @param linkSourceFile     for {@link ImageStore#importAci(java.nio.file.Path, ImportOptions)}: keep the file by
 *                           hard-linking it into the store instead of copying it. Only for files that are never
 *                           modified in place afterwards (replaced by rename, like the fetch layer's download
 *                           cache): the store's copy would change with them. Falls back to copying when the file
 *                           is on another file system.
 * @param check              runs on the image's ID and valid manifest before anything is stored (also when the
 *                           image is stored already) and throws to refuse it, e.g. when a discovered image's name
 *                           differs from the request; accepts everything by default
 */
public record ImportOptions(String source, DependencyResolver dependencyResolver, AciReader.Options readerOptions,
        boolean linkSourceFile, ImportCheck check) {
    /** A last look at an image before it is stored. */
    @FunctionalInterface
    public interface ImportCheck {
        /** Throws (a JetpackException saying why) to refuse the image. */
        void check(dev.jetpack.engine.aci.ImageId id, dev.jetpack.engine.manifest.ImageManifest manifest);

        ImportCheck ACCEPT_ALL = (id, manifest) -> {
        };
    }

    static final String UNNAMED_SOURCE = "a stream";

    public ImportOptions {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(dependencyResolver, "dependencyResolver");
        Objects.requireNonNull(readerOptions, "readerOptions");
        Objects.requireNonNull(check, "check");
    }

    public static ImportOptions defaults() {
        return new ImportOptions(UNNAMED_SOURCE, DependencyResolver.STORE_ONLY, AciReader.Options.defaults(), false,
                ImportCheck.ACCEPT_ALL);
    }

    public ImportOptions withSource(String newSource) {
        return new ImportOptions(newSource, dependencyResolver, readerOptions, linkSourceFile, check);
    }

    public ImportOptions withDependencyResolver(DependencyResolver resolver) {
        return new ImportOptions(source, resolver, readerOptions, linkSourceFile, check);
    }

    public ImportOptions withReaderOptions(AciReader.Options options) {
        return new ImportOptions(source, dependencyResolver, options, linkSourceFile, check);
    }

    public ImportOptions withLinkSourceFile(boolean link) {
        return new ImportOptions(source, dependencyResolver, readerOptions, link, check);
    }

    public ImportOptions withCheck(ImportCheck newCheck) {
        return new ImportOptions(source, dependencyResolver, readerOptions, linkSourceFile, newCheck);
    }
}
