package dev.jetpack.engine.oci.registry;

import java.util.ArrayList;
import java.util.List;

/**
 * The access a request needs, as token servers name it: {@code repository:NAME:pull} or
 * {@code repository:NAME:pull,push}, plus {@code repository:FROM:pull} when a blob is mounted from another
 * repository. Tokens are cached per scope.
 */
record Scope(List<String> entries) {
    Scope {
        entries = List.copyOf(entries);
    }

    static Scope pull(String repository) {
        return new Scope(List.of("repository:" + repository + ":pull"));
    }

    static Scope push(String repository) {
        return new Scope(List.of("repository:" + repository + ":pull,push"));
    }

    /** This scope and pull access to {@code repository}, the source of a mount. */
    Scope andPull(String repository) {
        List<String> more = new ArrayList<>(entries);
        String pull = "repository:" + repository + ":pull";
        if (!more.contains(pull)) {
            more.add(pull);
        }
        return new Scope(more);
    }

    @Override
    public String toString() {
        return String.join(" ", entries);
    }
}
