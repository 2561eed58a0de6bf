package dev.jetpack.engine.fetch.http;

import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Which certificates HTTPS connections trust. Certificates are always verified (chain and host name); the only
 * choice is the set of trusted roots: the JDK's default trust store, or an {@link SSLContext} the caller built
 * (a company CA, or a test's self-signed certificate). There is deliberately no "trust everything" policy.
 */
public final class TlsPolicy {
    private final SSLContext context;
    private final String description;

    private TlsPolicy(SSLContext context, String description) {
        this.context = context;
        this.description = description;
    }

    /** The JDK's default trust store (cacerts, or what {@code javax.net.ssl.trustStore} names). */
    public static TlsPolicy systemDefault() {
        try {
            return new TlsPolicy(SSLContext.getDefault(), "the JDK's default trust store");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK has no default TLS context", e);
        }
    }

    /** Trust what {@code context}'s trust managers trust; host names are still verified. */
    public static TlsPolicy trusting(SSLContext context, String description) {
        return new TlsPolicy(Objects.requireNonNull(context, "context"), description);
    }

    public SSLContext sslContext() {
        return context;
    }

    /** For error messages: which roots were used when a certificate was refused. */
    public String description() {
        return description;
    }
}
