package dev.jetpack.engine.store;

import dev.jetpack.engine.manifest.Dependency;
import dev.jetpack.engine.manifest.Label;
import java.util.Optional;

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

    /**
     * The store's rule for what stands in for a dependency, however it was found: the dependency's image ID,
     * name and labels, where it gives them, are the image's.
     *
     * @throws StoreException naming the dependent, the dependency and what differs
     */
    static void requireMatch(Dependency dependency, String dependent, StoredImage image) {
        String wanted = describe(dependency);
        if (dependency.imageID() != null && !dependency.imageID().equals(image.id().value())) {
            throw new StoreException("Image " + dependent + " depends on " + dependency.imageName() + " with image ID "
                    + dependency.imageID() + ", but the image found for it has ID " + image.id() + ". The dependency"
                    + " must be exactly that image: fetch the image with ID " + dependency.imageID()
                    + " or correct the imageID in the manifest of " + dependent + ".");
        }
        if (dependency.imageName() != null && !dependency.imageName().equals(image.name())) {
            throw new StoreException("Image " + dependent + " depends on " + wanted + ", but the image found for it, "
                    + image.id() + ", is named " + image.name() + ". Correct the dependency's imageName.");
        }
        for (Label label : dependency.labels()) {
            Optional<String> actual = image.label(label.name());
            if (!actual.equals(Optional.of(label.value()))) {
                throw new StoreException("Image " + dependent + " depends on " + wanted + ", but the image found for"
                        + " it, " + image.describe() + ", has " + label.name() + "=" + actual.orElse("(no such label)")
                        + ". Correct the dependency's labels or provide the right image.");
            }
        }
    }
}
