package dev.jetpack.engine.fetch.discovery;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An {@code ac-discovery} URL template such as {@code https://example.com/{os}/{arch}/{name}-{version}.{ext}}.
 * Placeholders are {@code {name}}, {@code {ext}} and any label; a rendering that leaves a placeholder unfilled
 * is no rendering at all (the spec: such a template does not match).
 */
record DiscoveryTemplate(String prefix, String template) {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)\\}");

    /** The label placeholders (everything but name and ext) the template uses. */
    Set<String> labelPlaceholders() {
        Set<String> labels = new LinkedHashSet<>();
        Matcher matcher = PLACEHOLDER.matcher(template);
        while (matcher.find()) {
            String key = matcher.group(1);
            if (!key.equals("name") && !key.equals("ext")) {
                labels.add(key);
            }
        }
        return labels;
    }

    boolean hasExt() {
        return template.contains("{ext}");
    }

    /**
     * Renders the template, or empty when a placeholder has no value. Values are percent-encoded except for
     * characters safe in a URL path (and '/' in the name, whose segments become path segments).
     */
    Optional<String> render(String name, Map<String, String> labels, String ext) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String key = matcher.group(1);
            String value = switch (key) {
                case "name" -> encode(name, true);
                case "ext" -> ext;
                default -> labels.containsKey(key) ? encode(labels.get(key), false) : null;
            };
            if (value == null) {
                return Optional.empty();
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return Optional.of(out.toString());
    }

    private static String encode(String value, boolean keepSlash) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || (keepSlash && c == '/');
            if (safe) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
