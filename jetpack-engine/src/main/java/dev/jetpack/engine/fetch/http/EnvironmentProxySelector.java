package dev.jetpack.engine.fetch.http;

import dev.jetpack.engine.fetch.FetchException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Chooses the proxy for a URL the way command-line tools do, so that a build behind a company proxy works
 * without extra configuration.
 *
 * <p>Sources, first match wins: the Java system properties {@code https.proxyHost}/{@code https.proxyPort} and
 * {@code http.proxyHost}/{@code http.proxyPort} (what Maven users already set in MAVEN_OPTS), then the
 * environment variables {@code https_proxy}/{@code http_proxy} (lower case first, then upper case). Hosts are
 * reached directly when {@code http.nonProxyHosts} or {@code no_proxy}/{@code NO_PROXY} list them, and loopback
 * addresses are always reached directly (as the JDK's own selector does).
 *
 * <p>{@code no_proxy} entries: {@code *} (everything), a host name that also covers its subdomains
 * ({@code example.com}, {@code .example.com}, {@code *.example.com}), {@code host:port}, an IP address, or an
 * IPv4 CIDR block ({@code 10.0.0.0/8}).
 */
public final class EnvironmentProxySelector extends ProxySelector {
    private final Optional<ProxyAddress> httpProxy;
    private final Optional<ProxyAddress> httpsProxy;
    private final List<String> noProxy;
    private final List<Pattern> nonProxyHostPatterns;

    /**
     * A proxy as configured, with the credentials it was given (sent to it as {@code Proxy-Authorization}, see
     * {@link HttpSettings#request(URI)}); {@link #toString()} never shows the password.
     */
    public record ProxyAddress(String host, int port, String source, Optional<ProxyCredentials> credentials) {
        public ProxyAddress {
            Objects.requireNonNull(credentials, "credentials");
        }

        @Override
        public String toString() {
            return host + ":" + port + " (from " + source + credentials.map(c -> ", " + c.username()).orElse("")
                    + ")";
        }
    }

    private EnvironmentProxySelector(Optional<ProxyAddress> httpProxy, Optional<ProxyAddress> httpsProxy,
            List<String> noProxy, List<Pattern> nonProxyHostPatterns) {
        this.httpProxy = httpProxy;
        this.httpsProxy = httpsProxy;
        this.noProxy = noProxy;
        this.nonProxyHostPatterns = nonProxyHostPatterns;
    }

    /** The selector for this process: its environment and system properties. */
    public static EnvironmentProxySelector fromSystem() {
        return from(System.getenv(), System.getProperties());
    }

    /** A selector from the given environment and properties (tests pass their own). */
    public static EnvironmentProxySelector from(Map<String, String> environment, Properties properties) {
        return from(environment, properties, name -> "environment variable " + name);
    }

    /**
     * As {@link #from(Map, Properties)} for variables that come from elsewhere (the Maven plugin hands over the
     * proxies of settings.xml in this form): {@code origin} names where the variable of a given name came from, for
     * messages about its proxy.
     */
    public static EnvironmentProxySelector from(Map<String, String> environment, Properties properties,
            Function<String, String> origin) {
        Optional<ProxyAddress> http = fromProperties(properties, "http", 80)
                .or(() -> fromEnvironment(environment, "http_proxy", origin));
        Optional<ProxyAddress> https = fromProperties(properties, "https", 443)
                .or(() -> fromEnvironment(environment, "https_proxy", origin));
        List<String> noProxy = new ArrayList<>();
        String noProxyValue = firstNonBlank(environment.get("no_proxy"), environment.get("NO_PROXY"));
        if (noProxyValue != null) {
            for (String entry : noProxyValue.split(",")) {
                String trimmed = entry.trim().toLowerCase(Locale.ROOT);
                if (!trimmed.isEmpty()) {
                    noProxy.add(trimmed);
                }
            }
        }
        List<Pattern> nonProxyHosts = new ArrayList<>();
        String nonProxyValue = properties.getProperty("http.nonProxyHosts");
        if (nonProxyValue != null) {
            for (String glob : nonProxyValue.split("\\|")) {
                String trimmed = glob.trim().toLowerCase(Locale.ROOT);
                if (!trimmed.isEmpty()) {
                    nonProxyHosts.add(globToPattern(trimmed));
                }
            }
        }
        return new EnvironmentProxySelector(http, https, List.copyOf(noProxy), List.copyOf(nonProxyHosts));
    }

    /** The proxy for https URLs, if any (it is also the one CONNECT tunnels go through). */
    public Optional<ProxyAddress> httpsProxy() {
        return httpsProxy;
    }

    @Override
    public List<Proxy> select(URI uri) {
        return proxyFor(uri)
                .map(p -> List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(p.host(), p.port()))))
                .orElse(List.of(Proxy.NO_PROXY));
    }

    /** The proxy used for {@code uri}, or empty when it is reached directly. */
    public Optional<ProxyAddress> proxyFor(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        Optional<ProxyAddress> proxy = switch (scheme) {
            case "https" -> httpsProxy;
            case "http" -> httpProxy;
            default -> Optional.empty();
        };
        if (proxy.isEmpty() || uri.getHost() == null) {
            return Optional.empty();
        }
        String host = stripBrackets(uri.getHost().toLowerCase(Locale.ROOT));
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        if (isLoopback(host) || bypassed(host, port)) {
            return Optional.empty();
        }
        return proxy;
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException e) {
        // Nothing to remember: there is one proxy per scheme, and the fetcher reports the failure itself.
    }

    private boolean bypassed(String host, int port) {
        for (Pattern pattern : nonProxyHostPatterns) {
            if (pattern.matcher(host).matches()) {
                return true;
            }
        }
        for (String entry : noProxy) {
            if (noProxyEntryMatches(entry, host, port)) {
                return true;
            }
        }
        return false;
    }

    static boolean noProxyEntryMatches(String entry, String host, int port) {
        if (entry.equals("*")) {
            return true;
        }
        String pattern = entry;
        int entryPort = -1;
        int lastColon = pattern.lastIndexOf(':');
        // host:port, but not a bare IPv6 address (which has several colons) unless it is bracketed.
        if (lastColon > 0 && (pattern.indexOf(':') == lastColon || pattern.startsWith("["))
                && pattern.substring(lastColon + 1).chars().allMatch(Character::isDigit)
                && lastColon + 1 < pattern.length()) {
            entryPort = Integer.parseInt(pattern.substring(lastColon + 1));
            pattern = pattern.substring(0, lastColon);
        }
        if (entryPort >= 0 && entryPort != port) {
            return false;
        }
        pattern = stripBrackets(pattern);
        if (pattern.contains("/")) {
            return cidrMatches(pattern, host);
        }
        if (pattern.startsWith("*.")) {
            pattern = pattern.substring(2);
        } else if (pattern.startsWith(".")) {
            pattern = pattern.substring(1);
        }
        return host.equals(pattern) || host.endsWith("." + pattern);
    }

    private static boolean cidrMatches(String cidr, String host) {
        String[] parts = cidr.split("/", 2);
        long network = ipv4(parts[0]);
        long address = ipv4(host);
        if (network < 0 || address < 0 || !parts[1].matches("\\d{1,2}")) {
            return false;
        }
        int bits = Integer.parseInt(parts[1]);
        if (bits > 32) {
            return false;
        }
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        return (network & mask) == (address & mask);
    }

    private static long ipv4(String text) {
        String[] octets = text.split("\\.", -1);
        if (octets.length != 4) {
            return -1;
        }
        long value = 0;
        for (String octet : octets) {
            if (!octet.matches("\\d{1,3}") || Integer.parseInt(octet) > 255) {
                return -1;
            }
            value = (value << 8) | Integer.parseInt(octet);
        }
        return value;
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.endsWith(".localhost") || host.equals("::1")
                || host.equals("0:0:0:0:0:0:0:1") || (host.startsWith("127.") && ipv4(host) >= 0);
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** {@code http.nonProxyHosts} entries are globs where {@code *} stands for any text. */
    private static Pattern globToPattern(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            regex.append(c == '*' ? ".*" : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString());
    }

    private static Optional<ProxyAddress> fromProperties(Properties properties, String prefix, int defaultPort) {
        String host = properties.getProperty(prefix + ".proxyHost");
        if (host == null || host.isBlank()) {
            return Optional.empty();
        }
        String portText = properties.getProperty(prefix + ".proxyPort");
        int port = defaultPort;
        if (portText != null && !portText.isBlank()) {
            try {
                port = Integer.parseInt(portText.trim());
            } catch (NumberFormatException e) {
                throw new FetchException("System property " + prefix + ".proxyPort='" + portText
                        + "' is not a port number: set it to the proxy's port, e.g. 3128");
            }
        }
        // http(s).proxyUser/proxyPassword: not read by the JDK itself, but by Maven's transports and most tools.
        String user = properties.getProperty(prefix + ".proxyUser");
        Optional<ProxyCredentials> credentials = user == null || user.isEmpty() ? Optional.empty()
                : Optional.of(new ProxyCredentials(user, properties.getProperty(prefix + ".proxyPassword")));
        return Optional.of(new ProxyAddress(host.trim(), port, "system property " + prefix + ".proxyHost",
                credentials));
    }

    private static Optional<ProxyAddress> fromEnvironment(Map<String, String> environment, String variable,
            Function<String, String> origin) {
        String name = variable;
        String value = environment.get(variable);
        if (value == null || value.isBlank()) {
            name = variable.toUpperCase(Locale.ROOT);
            value = environment.get(name);
        }
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String text = value.trim();
        String withScheme = text.contains("://") ? text : "http://" + text;
        URI uri;
        try {
            uri = URI.create(withScheme);
        } catch (IllegalArgumentException e) {
            throw new FetchException(capitalized(origin.apply(name)) + " is not a proxy URL: expected"
                    + " http://HOST:PORT, e.g. http://proxy.example.com:3128");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            throw new FetchException(capitalized(origin.apply(name)) + " names a proxy with scheme '"
                    + uri.getScheme() + "': only http:// proxies are supported (HTTPS requests are tunnelled"
                    + " through them with CONNECT). Write it as http://HOST:PORT");
        }
        if (uri.getHost() == null) {
            throw new FetchException(capitalized(origin.apply(name)) + " has no proxy host: expected"
                    + " http://HOST:PORT, e.g. http://proxy.example.com:3128");
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : 80;
        return Optional.of(new ProxyAddress(uri.getHost(), port, origin.apply(name),
                credentials(uri.getRawUserInfo())));
    }

    /**
     * {@code USER:PASSWORD} of a proxy URL, each part percent-decoded on its own (so that a password may hold an
     * encoded {@code :} or {@code @}), as curl reads it.
     */
    private static Optional<ProxyCredentials> credentials(String rawUserInfo) {
        if (rawUserInfo == null || rawUserInfo.isEmpty()) {
            return Optional.empty();
        }
        int colon = rawUserInfo.indexOf(':');
        String user = percentDecode(colon < 0 ? rawUserInfo : rawUserInfo.substring(0, colon));
        String password = colon < 0 ? "" : percentDecode(rawUserInfo.substring(colon + 1));
        return user.isEmpty() ? Optional.empty() : Optional.of(new ProxyCredentials(user, password));
    }

    /** Percent-decoding only: unlike form decoding, {@code +} stays {@code +}. */
    private static String percentDecode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static String firstNonBlank(String first, String second) {
        if (first != null && !first.isBlank()) {
            return first;
        }
        return second != null && !second.isBlank() ? second : null;
    }
}
