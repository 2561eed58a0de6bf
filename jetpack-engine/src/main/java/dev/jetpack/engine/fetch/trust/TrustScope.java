package dev.jetpack.engine.fetch.trust;

import java.util.regex.Pattern;

/**
 * What a trusted key may sign: every image (a root key), or the images under one name prefix. A prefix covers
 * names by whole path segments: {@code example.com/foo} covers {@code example.com/foo} and
 * {@code example.com/foo/bar}, never {@code example.com/foobar}.
 *
 * @param prefix the name prefix, or null for a root key
 */
public record TrustScope(String prefix) {
    private static final Pattern AC_IDENTIFIER = Pattern.compile("^[a-z0-9]+([-._~/][a-z0-9]+)*$");

    public TrustScope {
        if (prefix != null && !AC_IDENTIFIER.matcher(prefix).matches()) {
            throw new TrustException("'" + prefix + "' is not a valid image name prefix: use lowercase letters and"
                    + " digits separated by single '-', '.', '_', '~' or '/', e.g. example.com/apps (no trailing"
                    + " slash)");
        }
    }

    public static TrustScope root() {
        return new TrustScope(null);
    }

    public static TrustScope prefix(String prefix) {
        if (prefix == null) {
            throw new TrustException("A trust prefix is required; use TrustScope.root() for root keys");
        }
        return new TrustScope(prefix);
    }

    public boolean isRoot() {
        return prefix == null;
    }

    /** Whether a key in this scope may sign images named {@code imageName}. */
    public boolean covers(String imageName) {
        return isRoot() || imageName.equals(prefix) || imageName.startsWith(prefix + "/");
    }

    @Override
    public String toString() {
        return isRoot() ? "root (all images)" : "prefix " + prefix;
    }
}
