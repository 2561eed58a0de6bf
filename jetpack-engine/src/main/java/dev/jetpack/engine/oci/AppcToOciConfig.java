package dev.jetpack.engine.oci;

import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.manifest.Annotation;
import dev.jetpack.engine.manifest.App;
import dev.jetpack.engine.manifest.EnvironmentVariable;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.Label;
import dev.jetpack.engine.manifest.Port;
import dev.jetpack.engine.runtime.ContainerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The mapping of an appc image manifest onto an OCI image config; appc defines none, so this class is the rule
 * (README "Export to OCI" lists it for users):
 * <ul>
 * <li>{@code app.exec} → {@code Entrypoint} (no {@code Cmd}, so {@code docker run IMAGE ARGS} appends ARGS);
 *     docker2aci's annotations {@code appc.io/docker/entrypoint} and {@code cmd}, where present, are restored;</li>
 * <li>{@code user}/{@code group} → {@code User "user:group"}: names and numbers pass through, the appc form
 *     {@code /path} becomes the owner (group) number of that path in the rendered tree;</li>
 * <li>{@code environment} → {@code Env} in order, with the appc {@code PATH} default and {@code AC_APP_NAME} (the
 *     last component of the image name) added where the image sets neither;</li>
 * <li>{@code workingDirectory} → {@code WorkingDir}; ports → {@code ExposedPorts} ({@code count} expanded);
 *     mount points → {@code Volumes};</li>
 * <li>labels {@code os}, {@code arch} → {@code os}, {@code architecture}/{@code variant}; {@code version} →
 *     {@code org.opencontainers.image.version}; other labels, annotations and the app's user labels and annotations →
 *     {@code Labels} under their own names, except annotations {@code authors}, {@code homepage},
 *     {@code documentation}, {@code created} → {@code org.opencontainers.image.{authors,url,documentation,created}};</li>
 * <li>the appc name and image ID → labels {@value #NAME_LABEL} and {@value #IMAGE_ID_LABEL}, to trace the export
 *     back to its ACI;</li>
 * <li>no OCI counterpart, kept as JSON labels with a warning: event handlers ({@value #EVENT_HANDLERS_LABEL}),
 *     isolators ({@value #ISOLATORS_LABEL}), supplementary GIDs ({@value #SUPPLEMENTARY_GIDS_LABEL}), port names
 *     and socket activation ({@value #PORTS_LABEL}), mount point names and read-only flags
 *     ({@value #MOUNT_POINTS_LABEL}).</li>
 * </ul>
 * {@code created} is the image's {@code created} annotation, else its {@code timestamp} annotation (jetpack's build
 * time), else the epoch (as Jib does): a property of the image, never the time of the export.
 */
public final class AppcToOciConfig {
    public static final String NAME_LABEL = "dev.jetpack.appc.name";
    public static final String IMAGE_ID_LABEL = "dev.jetpack.appc.image-id";
    public static final String EVENT_HANDLERS_LABEL = "dev.jetpack.appc.event-handlers";
    public static final String ISOLATORS_LABEL = "dev.jetpack.appc.isolators";
    public static final String SUPPLEMENTARY_GIDS_LABEL = "dev.jetpack.appc.supplementary-gids";
    public static final String PORTS_LABEL = "dev.jetpack.appc.ports";
    public static final String MOUNT_POINTS_LABEL = "dev.jetpack.appc.mount-points";
    static final String DOCKER_ENTRYPOINT = "appc.io/docker/entrypoint";
    static final String DOCKER_CMD = "appc.io/docker/cmd";
    private static final Map<String, String> ANNOTATION_LABELS = Map.of(
            Annotation.AUTHORS, "org.opencontainers.image.authors",
            Annotation.HOMEPAGE, "org.opencontainers.image.url",
            Annotation.DOCUMENTATION, "org.opencontainers.image.documentation",
            Annotation.CREATED, "org.opencontainers.image.created");

    private AppcToOciConfig() {
    }

    /** The config, and a warning for each part of the app that only survives as a label. */
    public record Mapping(OciConfig config, List<String> warnings) {
        public Mapping {
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * @param rootfs  the rendered tree, where {@code /path} users and groups are looked up
     * @param diffIds the layers' diff IDs, base first
     * @param history one entry per layer, base first
     * @throws OciFormatException when the image cannot be expressed in OCI (an architecture OCI has no name for, a
     *                            {@code /path} user whose path does not exist)
     */
    public static Mapping map(ImageManifest manifest, ImageId id, Path rootfs, List<Digest> diffIds,
                              List<OciConfig.History> history) {
        List<String> warnings = new ArrayList<>();
        Map<String, String> labels = new TreeMap<>();
        for (Annotation annotation : manifest.annotations()) {
            labels.put(ANNOTATION_LABELS.getOrDefault(annotation.name(), annotation.name()), annotation.value());
        }
        for (Label label : manifest.labels()) {
            switch (label.name()) {
                case "os", "arch" -> { }
                case "version" -> labels.put("org.opencontainers.image.version", label.value());
                default -> labels.put(label.name(), label.value());
            }
        }
        labels.put(NAME_LABEL, manifest.name());
        labels.put(IMAGE_ID_LABEL, id.value());
        Platform platform = platform(manifest, warnings);
        OciConfig.Execution execution = null;
        if (manifest.app() != null) {
            execution = execution(manifest, manifest.app(), rootfs, labels, warnings);
        } else {
            execution = new OciConfig.Execution(null, null, null, null, null, null, null, labels, null);
        }
        OciConfig config = new OciConfig(created(manifest, warnings), null, platform.architecture(), platform.os(),
                platform.variant(), execution, OciConfig.RootFs.of(diffIds), history);
        return new Mapping(config, warnings);
    }

    /** The image's creation time in UTC with {@code Z}, as OCI wants it (see the class comment). */
    public static String created(ImageManifest manifest, List<String> warnings) {
        for (String name : List.of(Annotation.CREATED, Annotation.TIMESTAMP)) {
            Optional<String> value = manifest.annotation(name);
            if (value.isPresent()) {
                try {
                    return OffsetDateTime.parse(value.get()).toInstant().toString();
                } catch (DateTimeParseException e) {
                    warnings.add("annotation " + name + "='" + value.get() + "' of " + manifest.name()
                            + " is not an RFC 3339 time; it is not used as the OCI created time");
                }
            }
        }
        return Instant.EPOCH.toString();
    }

    private static OciConfig.Execution execution(ImageManifest manifest, App app, Path rootfs,
                                                 Map<String, String> labels, List<String> warnings) {
        List<String> entrypoint = app.exec();
        List<String> cmd = List.of();
        Optional<String> dockerEntrypoint = manifest.annotation(DOCKER_ENTRYPOINT);
        Optional<String> dockerCmd = manifest.annotation(DOCKER_CMD);
        if (dockerEntrypoint.isPresent() || dockerCmd.isPresent()) {
            entrypoint = jsonList(dockerEntrypoint, DOCKER_ENTRYPOINT, manifest);
            cmd = jsonList(dockerCmd, DOCKER_CMD, manifest);
        }
        String user = owner(app.user(), rootfs, true, manifest) + ":" + owner(app.group(), rootfs, false, manifest);

        Map<String, String> environment = new LinkedHashMap<>();
        for (EnvironmentVariable variable : app.environment()) {
            environment.put(variable.name(), variable.value());
        }
        environment.putIfAbsent("PATH", ContainerSpec.DEFAULT_PATH);
        environment.putIfAbsent("AC_APP_NAME", manifest.name().substring(manifest.name().lastIndexOf('/') + 1));
        List<String> env = environment.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();

        Map<String, Map<String, Object>> exposedPorts = new TreeMap<>();
        for (Port port : app.ports()) {
            for (int i = 0; i < port.effectiveCount(); i++) {
                exposedPorts.put((port.port() + i) + "/" + port.protocol(), Map.of());
            }
        }
        Map<String, Map<String, Object>> volumes = new TreeMap<>();
        app.mountPoints().forEach(mountPoint -> volumes.put(mountPoint.path(), Map.of()));

        labels.putAll(app.userLabels());
        labels.putAll(app.userAnnotations());
        keep(labels, warnings, EVENT_HANDLERS_LABEL, "event handlers", app.eventHandlers().stream()
                .map(handler -> Map.of("name", handler.name(), "exec", handler.exec())).toList(), manifest);
        keep(labels, warnings, ISOLATORS_LABEL, "isolators", app.isolators().stream()
                .map(isolator -> Map.of("name", isolator.name(), "value", isolator.value())).toList(), manifest);
        keep(labels, warnings, SUPPLEMENTARY_GIDS_LABEL, "supplementaryGIDs", app.supplementaryGIDs(), manifest);
        keep(labels, warnings, PORTS_LABEL, "port names", app.ports().stream()
                .map(port -> Map.of("name", port.name(), "protocol", port.protocol(), "port", port.port(),
                        "count", port.effectiveCount(), "socketActivated", port.socketActivated())).toList(), manifest);
        keep(labels, warnings, MOUNT_POINTS_LABEL, "mount point names", app.mountPoints().stream()
                .map(mountPoint -> Map.of("name", mountPoint.name(), "path", mountPoint.path(),
                        "readOnly", mountPoint.readOnly())).toList(), manifest);
        return new OciConfig.Execution(user, exposedPorts, env, entrypoint, cmd, volumes, app.workingDirectory(),
                labels, null);
    }

    private static void keep(Map<String, String> labels, List<String> warnings, String label, String what,
                             List<?> values, ImageManifest manifest) {
        if (!values.isEmpty()) {
            labels.put(label, new String(OciJson.write(values), java.nio.charset.StandardCharsets.UTF_8));
            warnings.add("OCI has no place for the " + what + " of " + manifest.name() + ": they are kept in the"
                    + " label " + label + ", which OCI runtimes ignore");
        }
    }

    private static List<String> jsonList(Optional<String> json, String annotation, ImageManifest manifest) {
        if (json.isEmpty()) {
            return List.of();
        }
        try {
            return List.of(OciJson.read(json.get().getBytes(java.nio.charset.StandardCharsets.UTF_8), String[].class,
                    "annotation " + annotation));
        } catch (OciFormatException e) {
            throw new OciFormatException("The annotation " + annotation + " of " + manifest.name() + " must be a JSON"
                    + " array of strings (as docker2aci writes it): " + e.getMessage(), e);
        }
    }

    /** appc's user or group: a name or number as it is, {@code /path} as the number that owns the path. */
    private static String owner(String value, Path rootfs, boolean user, ImageManifest manifest) {
        if (!value.startsWith("/")) {
            return value;
        }
        Path path = rootfs.resolve(value.substring(1)).normalize();
        if (!path.startsWith(rootfs)) {
            throw new OciFormatException("The app " + (user ? "user" : "group") + " '" + value + "' of "
                    + manifest.name() + " leaves the image's tree: an appc /path user or group names a path inside it");
        }
        try {
            return String.valueOf(Files.getAttribute(path, user ? "unix:uid" : "unix:gid", LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException e) {
            throw new OciFormatException("The app " + (user ? "user" : "group") + " '" + value + "' of "
                    + manifest.name() + " names a path the image does not have: an appc /path "
                    + (user ? "user" : "group") + " takes the owner of that path. Fix the manifest's app."
                    + (user ? "user" : "group"), e);
        } catch (IOException e) {
            throw new OciFormatException("Cannot read the owner of " + path + " for the app user of "
                    + manifest.name() + ": " + e, e);
        }
    }

    /** OCI's platform for the appc os and arch labels (image-spec config.md, Go's GOOS/GOARCH names). */
    record Platform(String os, String architecture, String variant) {
    }

    static Platform platform(ImageManifest manifest, List<String> warnings) {
        Optional<String> os = manifest.label("os");
        Optional<String> arch = manifest.label("arch");
        if (os.isEmpty() || arch.isEmpty()) {
            warnings.add(manifest.name() + " has no " + (os.isEmpty() ? "os" : "arch") + " label: exported as"
                    + " linux/amd64, what OCI tools assume");
        }
        String architecture = arch.orElse("amd64");
        return switch (architecture) {
            case "amd64", "x86_64" -> new Platform(os.orElse("linux"), "amd64", null);
            case "i386" -> new Platform(os.orElse("linux"), "386", null);
            case "aarch64" -> new Platform(os.orElse("linux"), "arm64", null);
            case "armv6l" -> new Platform(os.orElse("linux"), "arm", "v6");
            case "armv7l" -> new Platform(os.orElse("linux"), "arm", "v7");
            case "arm" -> new Platform(os.orElse("linux"), "arm", null);
            case "ppc64", "ppc64le", "s390x" -> new Platform(os.orElse("linux"), architecture, null);
            default -> throw new OciFormatException("The arch label '" + architecture + "' of " + manifest.name()
                    + " has no OCI architecture (OCI knows amd64, 386, arm64, arm v6/v7, ppc64, ppc64le, s390x):"
                    + " this image cannot be exported to OCI");
        };
    }
}
