package dev.jetpack.engine.fetch.http;

import dev.jetpack.engine.fetch.http.EnvironmentProxySelector.ProxyAddress;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * How a proxy's credentials reach it, and what a refusal (HTTP 407) means.
 *
 * <p>They are sent with every request that goes through that proxy, as {@code Proxy-Authorization: Basic}
 * ({@link HttpSettings#request(URI)}), the way curl and apt send the credentials of {@code http_proxy}. Not by a
 * {@link java.net.Authenticator}: the JDK client would then also ask it for every 401 of a server, and the
 * registry client answers those itself (a Basic 401 with an authenticator that has nothing for servers fails the
 * exchange with "No credentials provided"). The JDK sends a header set this way only to the proxy: never to the
 * server itself, directly or inside a tunnel.
 *
 * <p>HTTPS through a proxy is a CONNECT tunnel, and the JDK leaves Basic credentials out of CONNECT requests while
 * the system property {@code jdk.http.auth.tunneling.disabledSchemes} lists Basic, which its default
 * ({@code conf/net.properties}, since JDK 8u111) does. There is no switch per client: the JDK reads the property
 * once, when its HTTP client is first used in the JVM. So {@link #allowBasicForTunnels()} clears it, before the
 * first client is made, when a proxy for https has credentials and the user did not set the property: credentials
 * the user gave for a proxy are then used for it, as Maven's own transport does with those of settings.xml. A value
 * the user set is left as it is; a JVM whose HTTP client was used before with the default keeps it, and the 407
 * message says how to change it.
 */
public final class ProxyAuthentication {
    static final String TUNNELING_DISABLED_SCHEMES = "jdk.http.auth.tunneling.disabledSchemes";

    private ProxyAuthentication() {
    }

    /** Clears {@value #TUNNELING_DISABLED_SCHEMES} unless the user set it (see the class comment for why). */
    static synchronized void allowBasicForTunnels() {
        if (System.getProperty(TUNNELING_DISABLED_SCHEMES) == null) {
            System.setProperty(TUNNELING_DISABLED_SCHEMES, "");
        }
    }

    /**
     * The message for HTTP 407 from {@code proxy} for a request to {@code uri}: which proxy, whether it had
     * credentials (by user name, never the password), and what to change.
     */
    public static String refused(Optional<ProxyAddress> proxy, URI uri) {
        String url = SafeUris.display(uri);
        if (proxy.isEmpty()) {
            return "A proxy answered HTTP 407 (Proxy Authentication Required) for " + url + ". Give the proxy's"
                    + " user name and password: http_proxy=http://USER:PASSWORD@HOST:PORT, or the username and"
                    + " password of the <proxy> in Maven's settings.xml";
        }
        ProxyAddress p = proxy.get();
        String where = "the proxy " + p.host() + ":" + p.port() + " (from " + p.source() + ")";
        if (p.credentials().isEmpty()) {
            return "Proxy authentication failed: " + where + " answered HTTP 407 (Proxy Authentication Required)"
                    + " for " + url + " and no credentials are configured for it. Give them as"
                    + " http://USER:PASSWORD@" + p.host() + ":" + p.port() + " in the proxy variable, or as the"
                    + " username and password of the <proxy> in Maven's settings.xml";
        }
        String message = "Proxy authentication failed: " + where + " refused the credentials of user "
                + p.credentials().get().username() + " (HTTP 407 Proxy Authentication Required) for " + url
                + ". Check the proxy's user name and password";
        String disabled = System.getProperty(TUNNELING_DISABLED_SCHEMES);
        if ("https".equalsIgnoreCase(uri.getScheme()) && disabled != null
                && disabled.toLowerCase(Locale.ROOT).contains("basic")) {
            message += ". Note: this JVM leaves Basic credentials out of HTTPS tunnels (" + TUNNELING_DISABLED_SCHEMES
                    + "=" + disabled + "), so they were not sent: set it to an empty value (e.g. -D"
                    + TUNNELING_DISABLED_SCHEMES + "= in MAVEN_OPTS)";
        }
        return message;
    }
}
