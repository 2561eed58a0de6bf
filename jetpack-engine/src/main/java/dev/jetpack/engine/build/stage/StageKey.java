package dev.jetpack.engine.build.stage;

import dev.jetpack.engine.build.BuildFingerprint;
import dev.jetpack.engine.io.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What decides one stage's result, as a digest: the previous stage's key (or the parent image's ID for the
 * first stage) and the stage's named inputs, each hashed as a {@link BuildFingerprint} component (never kept
 * in clear: build variables may hold secrets), so that {@link #differences} can tell the log what changed.
 *
 * <p>The rules of what counts: build variables without the proxy variables (they change how a download goes,
 * not what it gives); file trees by content, never by time, so that a fresh clone of the same sources finds
 * the same key ({@link BuildFingerprint.Builder#contents}).
 *
 * @param digest   lowercase hex SHA-256 over the previous key and the inputs; the stage's name in the cache
 * @param previous the previous stage's digest, or {@code parent:<image ID>} for the first stage
 * @param inputs   the stage's own inputs
 */
public record StageKey(String digest, String previous, BuildFingerprint inputs) {
    /** Changes when the way stages are made changes, so that old cached stages are never taken for new ones. */
    static final String FORMAT = "jetpack-stage-1";

    private static final String PARENT = "parent:";

    /** Proxy variables, compared in lower case: they decide how a stage downloads, not what it builds. */
    private static final Set<String> PROXY_VARIABLES = Set.of("http_proxy", "https_proxy", "ftp_proxy",
            "all_proxy", "no_proxy");

    public StageKey {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(inputs, "inputs");
    }

    /** The first stage of a build on the parent image with ID {@code parentId}. */
    public static Builder first(String parentId) {
        return new Builder(PARENT + Objects.requireNonNull(parentId, "parentId"));
    }

    /** The stage after the one with key {@code previous}. */
    public static Builder after(StageKey previous) {
        return new Builder(previous.digest());
    }

    /** True for the first stage of a build (it follows the parent image). */
    public boolean isFirst() {
        return previous.startsWith(PARENT);
    }

    /** True for a variable that is left out of keys: a proxy setting ({@code http_proxy}, {@code NO_PROXY}, ...). */
    public static boolean isProxyVariable(String name) {
        return PROXY_VARIABLES.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * What differs between {@code other} and this key, for the log: "the parent image" or "the previous stage"
     * when the stages before differ, then the names of the inputs that differ.
     */
    public List<String> differences(StageKey other) {
        List<String> differ = new ArrayList<>();
        if (!previous.equals(other.previous)) {
            differ.add(isFirst() ? "the parent image" : "the previous stage");
        }
        differ.addAll(inputs.differencesFrom(other.inputs));
        return differ;
    }

    /** Collects a stage's inputs; names must be unique. */
    public static final class Builder {
        private final String previous;
        private final BuildFingerprint.Builder inputs = BuildFingerprint.builder();

        private Builder(String previous) {
            this.previous = previous;
        }

        /** A text input (a step, a command); null counts as absent, which differs from empty. */
        public Builder value(String name, String value) {
            inputs.value(name, value);
            return this;
        }

        /** A list of texts, order and boundaries included (the build arguments). */
        public Builder values(String name, List<String> values) {
            inputs.values(name, values);
            return this;
        }

        /** The build variables, sorted by name, without the proxy variables. */
        public Builder variables(String name, Map<String, String> environment) {
            List<String> counted = new ArrayList<>();
            new TreeMap<>(environment).forEach((variable, value) -> {
                if (!isProxyVariable(variable)) {
                    counted.add(variable + "=" + value);
                }
            });
            inputs.values(name, counted);
            return this;
        }

        /** Files and directories by the name each gets in the work directory, by content. */
        public Builder trees(String name, Map<String, Path> trees) throws IOException {
            inputs.contents(name, trees);
            return this;
        }

        public StageKey build() {
            BuildFingerprint built = inputs.build();
            StringBuilder text = new StringBuilder(FORMAT).append('\n').append(previous).append('\n');
            built.components().forEach((name, hash) -> text.append(hash).append(' ').append(name).append('\n'));
            return new StageKey(Sha256.hex(text.toString().getBytes(StandardCharsets.UTF_8)), previous, built);
        }
    }
}
