package dev.jetpack.engine.fetch.http;

import java.net.URI;
import java.net.URISyntaxException;

/** URLs as shown in logs and messages: user:password parts are never printed. */
public final class SafeUris {
    private SafeUris() {
    }

    public static String display(URI uri) {
        if (uri == null) {
            return "(no URL)";
        }
        if (uri.getRawUserInfo() == null) {
            return uri.toString();
        }
        try {
            return new URI(uri.getScheme(), "***", uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(),
                    uri.getFragment()).toString();
        } catch (URISyntaxException e) {
            return uri.getScheme() + "://***@" + uri.getHost();
        }
    }
}
