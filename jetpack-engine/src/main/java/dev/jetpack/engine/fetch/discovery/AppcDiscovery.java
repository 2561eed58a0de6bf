package dev.jetpack.engine.fetch.discovery;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.fetch.FetchException;
import dev.jetpack.engine.fetch.http.HttpFetcher;
import dev.jetpack.engine.fetch.http.SafeUris;
import dev.jetpack.engine.manifest.ImageReference;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * appc meta discovery (appc spec, discovery.md): finds where an image named like {@code example.com/app} and
 * its signature can be downloaded.
 *
 * <p>For {@code a/b/c} the pages of {@code a/b/c}, {@code a/b} and {@code a} are read in turn until one has
 * {@code ac-discovery} tags whose prefix covers the name (matched by whole path segments). A page that cannot be
 * fetched (4xx, but also a server error or a refused connection) moves on to the parent instead of ending the
 * search. Of that page's templates only the best ones are used: those whose every placeholder can be filled,
 * and among them those filling the most labels. Only https endpoints are returned unless plain HTTP is allowed.
 */
public final class AppcDiscovery {
    private static final Pattern AC_NAME = Pattern.compile("^[a-z0-9]+([-._~/][a-z0-9]+)*$");

    private final HttpFetcher http;
    private final EngineLog log;

    public AppcDiscovery(HttpFetcher http, EngineLog log) {
        this.http = http;
        this.log = log;
    }

    /**
     * The endpoints for {@code reference}, best first; never empty (no endpoint is an exception that lists
     * every page tried and why it did not help).
     */
    public List<DiscoveredEndpoints> discover(ImageReference reference, DiscoveryOptions options) {
        String name = requireValidName(reference.name());
        Map<String, String> labels = new LinkedHashMap<>(reference.labels());
        labels.putIfAbsent("version", "latest");
        labels.putIfAbsent("os", options.os());
        labels.putIfAbsent("arch", options.arch());
        warnIfPlainHttp();
        List<String> attempts = new ArrayList<>();
        for (String prefix : prefixWalk(name)) {
            for (URI page : options.discoveryUris(prefix, allowPlainHttp())) {
                Optional<List<MetaTags.Meta>> tags = readPage(page, name, attempts);
                if (tags.isEmpty()) {
                    continue;
                }
                List<DiscoveredEndpoints> endpoints = endpointsFrom(tags.get(), page, name, labels, attempts);
                if (!endpoints.isEmpty()) {
                    endpoints.forEach(e -> log.debug("Discovered " + name + " at " + SafeUris.display(e.aci())));
                    return endpoints;
                }
                break; // the page answered; its http twin would say the same
            }
        }
        throw new FetchException("Discovery found no download location for " + reference + " (labels used: "
                + labels + "). Tried:\n  " + String.join("\n  ", attempts) + "\nCheck the image name and labels,"
                + " that the name's host serves <meta name=\"ac-discovery\"> tags over https, or fetch the ACI by"
                + " URL instead.");
    }

    /**
     * The {@code ac-discovery-pubkeys} URLs published for {@code name} (walking up its prefixes like
     * {@link #discover}); empty when no page lists any.
     */
    public List<URI> discoverPublicKeys(String name, DiscoveryOptions options) {
        requireValidName(name);
        warnIfPlainHttp();
        List<String> attempts = new ArrayList<>();
        for (String prefix : prefixWalk(name)) {
            for (URI page : options.discoveryUris(prefix, allowPlainHttp())) {
                Optional<List<MetaTags.Meta>> tags = readPage(page, name, attempts);
                if (tags.isPresent()) {
                    List<URI> keys = publicKeysFrom(tags.get(), name, page);
                    if (!keys.isEmpty()) {
                        return keys;
                    }
                    break;
                }
            }
        }
        log.debug("No ac-discovery-pubkeys for " + name + ". Tried: " + attempts);
        return List.of();
    }

    /**
     * Runs {@code attempt} on each endpoint in order until one succeeds; a {@link FetchException} (download
     * failure, bad signature...) is logged and the next endpoint is tried. When all fail, the single failure is
     * rethrown as is, or several are combined into one exception listing each.
     */
    public static <T> T firstSuccessful(List<DiscoveredEndpoints> endpoints, EndpointAttempt<T> attempt,
            EngineLog log) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no endpoints to try");
        }
        List<FetchException> failures = new ArrayList<>();
        for (DiscoveredEndpoints endpoint : endpoints) {
            try {
                return attempt.fetch(endpoint);
            } catch (FetchException e) {
                failures.add(e);
                if (failures.size() < endpoints.size()) {
                    log.warn("Endpoint " + SafeUris.display(endpoint.aci()) + " failed, trying the next one: "
                            + e.getMessage());
                }
            }
        }
        if (failures.size() == 1) {
            throw failures.get(0);
        }
        StringBuilder message = new StringBuilder("All " + failures.size() + " discovered endpoints failed:");
        for (int i = 0; i < failures.size(); i++) {
            message.append("\n  ").append(SafeUris.display(endpoints.get(i).aci())).append(": ")
                    .append(failures.get(i).getMessage());
        }
        FetchException combined = new FetchException(message.toString(), failures.get(failures.size() - 1));
        failures.subList(0, failures.size() - 1).forEach(combined::addSuppressed);
        throw combined;
    }

    /** One try at one endpoint, e.g. download the ACI and its signature and verify them. */
    @FunctionalInterface
    public interface EndpointAttempt<T> {
        T fetch(DiscoveredEndpoints endpoint);
    }

    /** {@code a/b/c} → {@code a/b/c}, {@code a/b}, {@code a}. */
    static List<String> prefixWalk(String name) {
        List<String> prefixes = new ArrayList<>();
        String current = name;
        while (true) {
            prefixes.add(current);
            int slash = current.lastIndexOf('/');
            if (slash <= 0) {
                return prefixes;
            }
            current = current.substring(0, slash);
        }
    }

    /** Whether {@code prefix} covers {@code name} by whole path segments. */
    static boolean prefixCovers(String prefix, String name) {
        String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        return name.equals(trimmed) || name.startsWith(trimmed + "/");
    }

    private Optional<List<MetaTags.Meta>> readPage(URI page, String name, List<String> attempts) {
        String html;
        try {
            html = new String(http.fetchBytes(page, "the discovery page for " + name,
                    DiscoveryOptions.MAX_PAGE_BYTES), StandardCharsets.UTF_8);
        } catch (FetchException e) {
            attempts.add(SafeUris.display(page) + ": " + e.getMessage());
            log.debug("Discovery page " + SafeUris.display(page) + " failed, trying the parent: " + e.getMessage());
            return Optional.empty();
        }
        List<MetaTags.Meta> tags = MetaTags.parse(html);
        if (tags.stream().noneMatch(t -> t.name().equalsIgnoreCase("ac-discovery")
                && prefixCovers(firstWord(t.content()), name))) {
            attempts.add(SafeUris.display(page) + ": no <meta name=\"ac-discovery\"> tag whose prefix covers " + name);
            return Optional.empty();
        }
        return Optional.of(tags);
    }

    private List<DiscoveredEndpoints> endpointsFrom(List<MetaTags.Meta> tags, URI page, String name,
            Map<String, String> labels, List<String> attempts) {
        List<DiscoveryTemplate> candidates = new ArrayList<>();
        for (MetaTags.Meta tag : tags) {
            if (!tag.name().equalsIgnoreCase("ac-discovery")) {
                continue;
            }
            String[] parts = tag.content().split("\\s+");
            if (parts.length != 2) {
                log.debug("Ignoring malformed ac-discovery tag '" + tag.content() + "' on " + SafeUris.display(page)
                        + ": expected 'PREFIX TEMPLATE'");
                continue;
            }
            if (prefixCovers(parts[0], name)) {
                candidates.add(new DiscoveryTemplate(parts[0], parts[1]));
            }
        }
        int best = -1;
        List<DiscoveredEndpoints> endpoints = new ArrayList<>();
        List<URI> keys = publicKeysFrom(tags, name, page);
        for (DiscoveryTemplate template : candidates) {
            Optional<DiscoveredEndpoints> endpoint = render(template, name, labels, page, keys);
            if (endpoint.isEmpty()) {
                continue;
            }
            int filled = template.labelPlaceholders().size();
            if (filled > best) {
                best = filled;
                endpoints.clear();
            }
            if (filled == best) {
                endpoints.add(endpoint.get());
            }
        }
        if (endpoints.isEmpty()) {
            attempts.add(SafeUris.display(page) + ": none of its " + candidates.size() + " ac-discovery templates"
                    + " for " + name + " could be filled with " + labels + " (or none was usable over https)");
        }
        return endpoints;
    }

    private Optional<DiscoveredEndpoints> render(DiscoveryTemplate template, String name, Map<String, String> labels,
            URI page, List<URI> keys) {
        if (!template.hasExt()) {
            log.debug("Skipping template " + template.template() + ": it has no {ext}, so it cannot tell the ACI"
                    + " from its signature");
            return Optional.empty();
        }
        Optional<String> aci = template.render(name, labels, "aci");
        Optional<String> signature = template.render(name, labels, "aci.asc");
        if (aci.isEmpty() || signature.isEmpty()) {
            log.debug("Skipping template " + template.template() + ": a placeholder has no value among " + labels);
            return Optional.empty();
        }
        Optional<URI> aciUri = usableUri(aci.get());
        Optional<URI> signatureUri = usableUri(signature.get());
        if (aciUri.isEmpty() || signatureUri.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DiscoveredEndpoints(template.prefix(), aciUri.get(), signatureUri.get(), keys, labels,
                page));
    }

    private List<URI> publicKeysFrom(List<MetaTags.Meta> tags, String name, URI page) {
        List<URI> keys = new ArrayList<>();
        for (MetaTags.Meta tag : tags) {
            if (!tag.name().equalsIgnoreCase("ac-discovery-pubkeys")) {
                continue;
            }
            String[] parts = tag.content().split("\\s+");
            if (parts.length == 2 && prefixCovers(parts[0], name)) {
                usableUri(parts[1]).ifPresent(keys::add);
            } else {
                log.debug("Ignoring ac-discovery-pubkeys tag '" + tag.content() + "' on " + SafeUris.display(page));
            }
        }
        return keys;
    }

    private Optional<URI> usableUri(String text) {
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            log.debug("Skipping invalid discovered URL '" + text + "': " + e.getMessage());
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https") || (scheme.equals("http") && allowPlainHttp())) {
            return Optional.of(uri);
        }
        log.debug("Skipping discovered URL " + SafeUris.display(uri) + ": only https"
                + (allowPlainHttp() ? " and http" : "") + " URLs are used");
        return Optional.empty();
    }

    /** Plain HTTP is the fetcher's setting, so that discovery and the downloads it leads to agree on it. */
    private boolean allowPlainHttp() {
        return http.settings().allowPlainHttp();
    }

    private void warnIfPlainHttp() {
        if (allowPlainHttp()) {
            log.warn("Discovery over plain HTTP is allowed: discovery pages and images can be read and altered"
                    + " in transit.");
        }
    }

    private static String firstWord(String content) {
        return content.trim().split("\\s+", 2)[0];
    }

    private static String requireValidName(String name) {
        if (!AC_NAME.matcher(name).matches()) {
            throw new FetchException("Cannot discover '" + name + "': an image name for discovery is an AC"
                    + " identifier (lowercase letters and digits, separated by single '-', '.', '_', '~' or '/'),"
                    + " e.g. example.com/app");
        }
        return name;
    }
}
