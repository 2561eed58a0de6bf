package dev.jetpack.engine.store;

import java.util.Objects;

/**
 * How {@link ImageStore#importAci} treats one import.
 *
 * @param source              where the ACI came from (a path or URL), for log messages and the image's record
 * @param dependencyResolver  obtains dependencies the store does not hold; {@link DependencyResolver#STORE_ONLY}
 *                            by default
 */
public record ImportOptions(String source, DependencyResolver dependencyResolver) {
    public ImportOptions {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(dependencyResolver, "dependencyResolver");
    }

    public static ImportOptions defaults() {
        return new ImportOptions("a stream", DependencyResolver.STORE_ONLY);
    }

    public ImportOptions withSource(String newSource) {
        return new ImportOptions(newSource, dependencyResolver);
    }

    public ImportOptions withDependencyResolver(DependencyResolver resolver) {
        return new ImportOptions(source, resolver);
    }
}
