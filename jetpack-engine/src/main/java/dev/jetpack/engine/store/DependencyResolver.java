package dev.jetpack.engine.store;

import dev.jetpack.engine.manifest.Dependency;

/**
 * Obtains a dependency the store does not hold yet, e.g. by fetching it. {@code ImageFetcher} implements it
 * with the rules of a direct fetch; the store checks the result (image ID, name, labels) itself, so an
 * implementation need not.
 */
@FunctionalInterface
public interface DependencyResolver {
    /**
     * Makes the image {@code dependency} names available in {@code store} and returns it.
     *
     * @param dependent the name of the image being imported, for messages
     */
    StoredImage resolve(Dependency dependency, String dependent, ImageStore store);

    /** For imports that must not reach out: a dependency that is not stored already is an error. */
    DependencyResolver STORE_ONLY = (dependency, dependent, store) -> {
        throw new ImageNotFoundException("Image " + dependent + " depends on " + describe(dependency)
                + ", which is not in the store " + store.root() + ". Fetch or import that image first, or import"
                + " through a fetch so that dependencies are fetched too.");
    };

    /** "name,label=value (sha512-…)" for messages. */
    static String describe(Dependency dependency) {
        StringBuilder text = new StringBuilder(String.valueOf(dependency.imageName()));
        dependency.labels().forEach(label -> text.append(',').append(label.name()).append('=').append(label.value()));
        if (dependency.imageID() != null) {
            text.append(" (").append(dependency.imageID()).append(')');
        }
        return text.toString();
    }
}
