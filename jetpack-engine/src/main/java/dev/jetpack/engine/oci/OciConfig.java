package dev.jetpack.engine.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An OCI image configuration (image-spec {@code config.md}); Docker's image config has the same fields. Only the
 * fields jetpack maps are modelled; readers ignore the rest.
 *
 * @param created an RFC 3339 time in UTC with {@code Z}, or {@code null}
 * @param config  the execution parameters, or {@code null}
 * @param rootfs  the layers' diff IDs: the sha256 of each uncompressed layer tar, base first
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record OciConfig(String created, String author, String architecture, String os, String variant,
                        Execution config, RootFs rootfs, List<History> history) {
    public OciConfig {
        Objects.requireNonNull(architecture, "config architecture");
        Objects.requireNonNull(os, "config os");
        Objects.requireNonNull(rootfs, "config rootfs");
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** The execution parameters; names as the spec spells them. Empty collections are left out when written. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Execution(@JsonProperty("User") String user,
                            @JsonProperty("ExposedPorts") Map<String, Map<String, Object>> exposedPorts,
                            @JsonProperty("Env") List<String> env,
                            @JsonProperty("Entrypoint") List<String> entrypoint,
                            @JsonProperty("Cmd") List<String> cmd,
                            @JsonProperty("Volumes") Map<String, Map<String, Object>> volumes,
                            @JsonProperty("WorkingDir") String workingDir,
                            @JsonProperty("Labels") Map<String, String> labels,
                            @JsonProperty("StopSignal") String stopSignal) {
        public Execution {
            exposedPorts = sorted(exposedPorts);
            env = env == null ? List.of() : List.copyOf(env);
            entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
            cmd = cmd == null ? List.of() : List.copyOf(cmd);
            volumes = sorted(volumes);
            labels = sorted(labels);
        }

        private static <V> Map<String, V> sorted(Map<String, V> map) {
            return map == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(map));
        }
    }

    /** {@code rootfs}: always type {@code layers}. */
    public record RootFs(String type, @JsonProperty("diff_ids") List<Digest> diffIds) {
        public RootFs {
            if (!"layers".equals(type)) {
                throw new IllegalArgumentException("config rootfs.type is '" + type + "': it must be 'layers'");
            }
            diffIds = diffIds == null ? List.of() : List.copyOf(diffIds);
        }

        public static RootFs of(List<Digest> diffIds) {
            return new RootFs("layers", diffIds);
        }
    }

    /** One history entry; {@code emptyLayer} entries have no layer of their own. */
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public record History(String created, @JsonProperty("created_by") String createdBy, String author,
                          String comment, @JsonProperty("empty_layer") boolean emptyLayer) {
    }
}
