package dev.jetpack.engine.oci;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.manifest.AcSyntax;
import dev.jetpack.engine.manifest.Annotation;
import dev.jetpack.engine.manifest.App;
import dev.jetpack.engine.manifest.EnvironmentVariable;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.Label;
import dev.jetpack.engine.manifest.MountPoint;
import dev.jetpack.engine.manifest.OsArch;
import dev.jetpack.engine.manifest.Port;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Maps an OCI (or Docker) image config to an appc image manifest the way docker2aci does: exec = Entrypoint + Cmd;
 * User {@code ""} runs as 0/0, {@code u} as u/u, {@code u:g} as u/g; Env entries without {@code =} dropped; ports
 * named {@code 80-tcp}; Volumes become mount points {@code volume-<path>}; the name comes from the repository
 * (made an AC Identifier: {@code 127.0.0.1:5000/team/app} becomes {@code 127.0.0.1-5000/team/app}), the
 * {@code version} label from the tag, {@code os}/{@code arch} from the config. Entrypoint and Cmd are also kept as
 * docker2aci's annotations ({@link AppcToOciConfig#DOCKER_ENTRYPOINT}, {@link AppcToOciConfig#DOCKER_CMD}),
 * which an export back to OCI restores; config Labels whose names are AC Identifiers become annotations.
 */
public final class OciToAppcManifest {
    /** The config digest: Docker's image ID. */
    public static final String IMAGE_ID_ANNOTATION = "appc.io/docker/imageid";
    public static final String MANIFEST_DIGEST_ANNOTATION = "appc.io/docker/manifesthash";
    public static final String ORIGINAL_NAME_ANNOTATION = "appc.io/docker/originalname";

    private OciToAppcManifest() {
    }

    /** The manifest of {@code image}; config values appc cannot hold are logged at debug level and left out. */
    public static ImageManifest map(OciImage image, EngineLog log) {
        OciConfig config = image.config();
        ImageManifest manifest = ImageManifest.named(acIdentifier(image.repository(), image.source()));
        List<Label> labels = new ArrayList<>();
        image.tag().ifPresent(tag -> labels.add(new Label("version", tag)));
        Optional<String> arch = appcArch(config.architecture(), config.variant());
        if (arch.isPresent() && OsArch.isSupported(config.os(), arch.get())) {
            labels.add(new Label("os", config.os()));
            labels.add(new Label("arch", arch.get()));
        } else {
            log.debug("Image " + image.source() + " is for " + config.os() + "/" + config.architecture()
                    + ", which appc has no os/arch label pair for: no os/arch labels");
        }
        manifest = manifest.withLabels(labels);
        OciConfig.Execution execution = config.config();
        List<Annotation> annotations = new ArrayList<>();
        if (config.created() != null && AcSyntax.isRfc3339(config.created())) {
            annotations.add(new Annotation(Annotation.CREATED, config.created()));
        }
        if (config.author() != null && !config.author().isBlank()) {
            annotations.add(new Annotation(Annotation.AUTHORS, config.author()));
        }
        if (execution != null) {
            if (!execution.entrypoint().isEmpty()) {
                annotations.add(new Annotation(AppcToOciConfig.DOCKER_ENTRYPOINT,
                        new String(OciJson.write(execution.entrypoint()), StandardCharsets.UTF_8)));
            }
            if (!execution.cmd().isEmpty()) {
                annotations.add(new Annotation(AppcToOciConfig.DOCKER_CMD,
                        new String(OciJson.write(execution.cmd()), StandardCharsets.UTF_8)));
            }
        }
        annotations.add(new Annotation(IMAGE_ID_ANNOTATION, image.configDigest().toString()));
        image.manifestDigest().ifPresent(digest -> annotations.add(new Annotation(MANIFEST_DIGEST_ANNOTATION,
                digest.toString())));
        annotations.add(new Annotation(ORIGINAL_NAME_ANNOTATION, image.repository()
                + image.tag().map(tag -> ":" + tag).orElse("")));
        if (execution != null) {
            for (Map.Entry<String, String> label : execution.labels().entrySet()) {
                if (AcSyntax.isAcIdentifier(label.getKey())
                        && annotations.stream().noneMatch(a -> a.name().equals(label.getKey()))) {
                    annotations.add(new Annotation(label.getKey(), label.getValue()));
                } else {
                    log.debug("Config label " + label.getKey() + " of " + image.source() + " is not an AC"
                            + " Identifier (or repeats one): not kept as an annotation");
                }
            }
        }
        manifest = manifest.withAnnotations(annotations);
        if (execution != null) {
            List<String> exec = new ArrayList<>(execution.entrypoint());
            exec.addAll(execution.cmd());
            if (!exec.isEmpty()) {
                manifest = manifest.withApp(app(exec, execution, image.source(), log));
            }
        }
        return manifest;
    }

    private static App app(List<String> exec, OciConfig.Execution execution, String source, EngineLog log) {
        String user = "0";
        String group = "0";
        if (execution.user() != null && !execution.user().isEmpty()) {
            int colon = execution.user().indexOf(':');
            user = colon < 0 ? execution.user() : execution.user().substring(0, colon);
            group = colon < 0 ? user : execution.user().substring(colon + 1);
        }
        Map<String, EnvironmentVariable> environment = new LinkedHashMap<>();
        for (String entry : execution.env()) {
            int equals = entry.indexOf('=');
            String name = equals < 0 ? entry : entry.substring(0, equals);
            if (equals < 0 || !AcSyntax.isEnvironmentName(name)) {
                log.debug("Environment entry '" + entry + "' of " + source + " is not NAME=VALUE with a valid name:"
                        + " dropped");
                continue;
            }
            environment.put(name, new EnvironmentVariable(name, entry.substring(equals + 1)));
        }
        List<Port> ports = new ArrayList<>();
        for (String exposed : execution.exposedPorts().keySet()) {
            int slash = exposed.indexOf('/');
            String number = slash < 0 ? exposed : exposed.substring(0, slash);
            String protocol = slash < 0 ? "tcp" : exposed.substring(slash + 1).toLowerCase(Locale.ROOT);
            try {
                int port = Integer.parseInt(number);
                if (port >= 1 && port <= 65535 && AcSyntax.isAcName(number + "-" + protocol)) {
                    ports.add(new Port(number + "-" + protocol, protocol, port, null, false));
                    continue;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            log.debug("Exposed port '" + exposed + "' of " + source + " is not PORT/PROTOCOL: dropped");
        }
        List<MountPoint> mountPoints = new ArrayList<>();
        for (String volume : execution.volumes().keySet()) {
            String name = "volume-" + acName(volume);
            if (volume.startsWith("/") && AcSyntax.isAcName(name)
                    && mountPoints.stream().noneMatch(m -> m.name().equals(name))) {
                mountPoints.add(new MountPoint(name, volume, false));
            } else {
                log.debug("Volume '" + volume + "' of " + source + " cannot be named as an appc mount point: dropped");
            }
        }
        String workingDirectory = execution.workingDir() != null && execution.workingDir().startsWith("/")
                ? execution.workingDir() : null;
        return new App(exec, user, group, null, null, workingDirectory, new ArrayList<>(environment.values()), null,
                mountPoints, ports, null, null);
    }

    /**
     * {@code text} as an AC Identifier ({@code [a-z0-9]+([-._~/][a-z0-9]+)*}): lowercase, every other character
     * a {@code -}, runs of separators cut to the first, none at either end.
     */
    static String acIdentifier(String text, String source) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            char mapped = alphanumeric || c == '.' || c == '_' || c == '~' || c == '/' ? c : '-';
            boolean separator = !alphanumeric;
            if (separator && (out.isEmpty() || !isAlphanumeric(out.charAt(out.length() - 1)))) {
                continue;
            }
            out.append(mapped);
        }
        while (!out.isEmpty() && !isAlphanumeric(out.charAt(out.length() - 1))) {
            out.setLength(out.length() - 1);
        }
        if (out.isEmpty()) {
            throw new OciFormatException("The image " + source + " has no usable name ('" + text + "'): an appc name"
                    + " needs letters or digits. Tag the image with a repository name");
        }
        return out.toString();
    }

    /** {@code text} as an AC Name ({@code [a-z0-9]+(-[a-z0-9]+)*}). */
    private static String acName(String text) {
        return acIdentifier(text.replaceAll("[^A-Za-z0-9]", "-"), text).replaceAll("[^a-z0-9]+", "-");
    }

    /** The appc {@code arch} label of an OCI architecture and variant; empty when appc has none for it. */
    static Optional<String> appcArch(String architecture, String variant) {
        return Optional.ofNullable(switch (architecture) {
            case "amd64", "ppc64", "ppc64le", "s390x" -> architecture;
            case "arm64" -> "aarch64";
            case "386" -> "i386";
            case "arm" -> "v6".equals(variant) ? "armv6l" : "armv7l";
            default -> null;
        });
    }

    private static boolean isAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
