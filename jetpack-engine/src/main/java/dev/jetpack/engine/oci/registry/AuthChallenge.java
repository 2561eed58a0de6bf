package dev.jetpack.engine.oci.registry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A registry's {@code WWW-Authenticate} challenge (RFC 7235): {@code Basic realm="..."} or
 * {@code Bearer realm="https://auth.example/token",service="registry",scope="repository:app:pull"}.
 *
 * @param scheme {@code basic} or {@code bearer}, lowercase
 * @param parameters the auth-params, names lowercase, values unquoted
 */
record AuthChallenge(String scheme, Map<String, String> parameters) {
    AuthChallenge {
        parameters = Map.copyOf(parameters);
    }

    boolean isBearer() {
        return scheme.equals("bearer");
    }

    boolean isBasic() {
        return scheme.equals("basic");
    }

    Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name));
    }

    /**
     * The first Basic or Bearer challenge in a header value; empty for other schemes. Several challenges may
     * share one header, separated by commas like the parameters: a token followed by a space starts a new one.
     */
    static Optional<AuthChallenge> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String text = header.strip();
        int[] at = {0};
        while (at[0] < text.length()) {
            String scheme = token(text, at).toLowerCase(Locale.ROOT);
            Map<String, String> parameters = new LinkedHashMap<>();
            while (at[0] < text.length()) {
                int mark = at[0];
                String name = token(text, at);
                if (at[0] >= text.length() || text.charAt(at[0]) != '=') {
                    at[0] = mark; // a token without '=' is the next challenge's scheme
                    break;
                }
                at[0]++;
                parameters.put(name.toLowerCase(Locale.ROOT), value(text, at));
                skipSeparators(text, at);
            }
            if (scheme.equals("bearer") || scheme.equals("basic")) {
                return Optional.of(new AuthChallenge(scheme, parameters));
            }
            if (scheme.isEmpty()) {
                break;
            }
        }
        return Optional.empty();
    }

    private static String token(String text, int[] at) {
        skipSeparators(text, at);
        int start = at[0];
        while (at[0] < text.length() && " =,".indexOf(text.charAt(at[0])) < 0) {
            at[0]++;
        }
        String token = text.substring(start, at[0]);
        while (at[0] < text.length() && text.charAt(at[0]) == ' ') {
            at[0]++;
        }
        return token;
    }

    private static String value(String text, int[] at) {
        StringBuilder value = new StringBuilder();
        int i = at[0];
        if (i < text.length() && text.charAt(i) == '"') {
            i++;
            while (i < text.length() && text.charAt(i) != '"') {
                if (text.charAt(i) == '\\' && i + 1 < text.length()) {
                    i++;
                }
                value.append(text.charAt(i++));
            }
            i++;
        } else {
            while (i < text.length() && text.charAt(i) != ',') {
                value.append(text.charAt(i++));
            }
        }
        at[0] = i;
        return value.toString().strip();
    }

    private static void skipSeparators(String text, int[] at) {
        while (at[0] < text.length() && (text.charAt(at[0]) == ',' || text.charAt(at[0]) == ' ')) {
            at[0]++;
        }
    }
}
