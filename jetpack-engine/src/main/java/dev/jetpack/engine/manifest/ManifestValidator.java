package dev.jetpack.engine.manifest;

import dev.jetpack.engine.aci.ImageId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks an image manifest against the appc 0.8.11 spec (spec/aci.md, spec/types.md) and reports every problem
 * at once, each with its field path, value and rule, so that a user fixes a manifest in one round.
 *
 * <p>Where the spec and the reference implementation differ, the spec wins; where the spec is silent, the
 * stricter reading a careful tool needs: an {@code arch} label without an {@code os} label is refused (the spec
 * says arch is meaningful only with os), image IDs must be full {@code sha512-} IDs, and homepage/documentation
 * URLs need a host. Isolator values are not checked beyond being present: their schemas are per isolator and
 * executors define their own.
 */
public final class ManifestValidator {
    private static final String AC_IDENTIFIER_RULE = "must be an AC Identifier: lower-case letters and digits,"
            + " separated by single '-', '.', '_', '~' or '/' characters (e.g. example.com/my-app)";
    private static final String AC_NAME_RULE = "must be an AC Name: lower-case letters and digits, separated by"
            + " single '-' characters (e.g. ftp-data)";
    private static final Set<String> EVENT_HANDLER_NAMES = Set.of(EventHandler.PRE_START, EventHandler.POST_STOP);
    private static final long MAX_GID = 0xFFFF_FFFFL;

    private final List<ManifestProblem> problems = new ArrayList<>();

    private ManifestValidator() {
    }

    /** Every way in which {@code manifest} breaks the spec; empty when it is valid. */
    public static List<ManifestProblem> validate(ImageManifest manifest) {
        ManifestValidator validator = new ManifestValidator();
        validator.manifest(manifest);
        return List.copyOf(validator.problems);
    }

    /**
     * Returns {@code manifest} if it is valid, else throws an {@link InvalidManifestException} listing every
     * problem.
     *
     * @param source how to name the manifest in the message, e.g. its file path
     */
    public static ImageManifest requireValid(ImageManifest manifest, String source) {
        List<ManifestProblem> found = validate(manifest);
        if (!found.isEmpty()) {
            throw InvalidManifestException.forProblems(source, found);
        }
        return manifest;
    }

    private void manifest(ImageManifest m) {
        if (m.acKind() == null) {
            missing("acKind", "an image manifest must say \"acKind\": \"" + ImageManifest.KIND + "\"");
        } else if (!m.acKind().equals(ImageManifest.KIND)) {
            problem("acKind", m.acKind(), "must be \"" + ImageManifest.KIND + "\"");
        }
        if (m.acVersion() == null) {
            missing("acVersion", "must give the appc spec version the manifest follows, e.g. \""
                    + ImageManifest.SPEC_VERSION + "\"");
        } else if (!AcSyntax.isSemVer(m.acVersion())) {
            problem("acVersion", m.acVersion(), "must be a SemVer 2.0.0 version such as \""
                    + ImageManifest.SPEC_VERSION + "\"");
        } else if (m.acVersion().equals("0.0.0")) {
            problem("acVersion", m.acVersion(), "must not be 0.0.0; give the spec version, e.g. \""
                    + ImageManifest.SPEC_VERSION + "\"");
        }
        acIdentifier("name", m.name(), "the image needs a name, e.g. example.com/my-app");
        labels("labels", m.labels());
        if (m.app() != null) {
            app("app", m.app());
        }
        annotations(m.annotations());
        for (int i = 0; i < m.dependencies().size(); i++) {
            dependency("dependencies[" + i + "]", m.dependencies().get(i));
        }
        for (int i = 0; i < m.pathWhitelist().size(); i++) {
            absolutePath("pathWhitelist[" + i + "]", m.pathWhitelist().get(i));
        }
    }

    private void labels(String path, List<Label> labels) {
        unique(path, labels, Label::name, "label");
        for (int i = 0; i < labels.size(); i++) {
            String name = labels.get(i).name();
            String at = path + "[" + i + "].name";
            if ("name".equals(name)) {
                problem(at, name, "a label must not be called \"name\" (that would be confused with the image's"
                        + " name); rename or remove it");
            } else {
                acIdentifier(at, name, "every label needs a name");
            }
        }
        int os = indexOf(labels, Label::name, "os");
        int arch = indexOf(labels, Label::name, "arch");
        if (os >= 0) {
            String osValue = labels.get(os).value();
            if (!OsArch.SUPPORTED.containsKey(osValue)) {
                problem(path + "[" + os + "].value", osValue, "the os label must be one of "
                        + OsArch.SUPPORTED.keySet() + " (remove the label for an os-independent image)");
            } else if (arch >= 0 && !OsArch.isSupported(osValue, labels.get(arch).value())) {
                problem(path + "[" + arch + "].value", labels.get(arch).value(), "the arch label must be one of "
                        + OsArch.SUPPORTED.get(osValue) + " for os " + osValue);
            }
        } else if (arch >= 0) {
            problem(path + "[" + arch + "].value", labels.get(arch).value(), "an arch label is only meaningful"
                    + " together with an os label; add one (e.g. os=linux) or remove the arch label");
        }
    }

    private void app(String path, App app) {
        required(path + ".user", app.user(), "the user to run the app as (a name, a UID such as 0, or a path"
                + " whose owner is used)");
        required(path + ".group", app.group(), "the group to run the app as (a name, a GID such as 0, or a path"
                + " whose group is used)");
        for (int i = 0; i < app.supplementaryGIDs().size(); i++) {
            long gid = app.supplementaryGIDs().get(i);
            if (gid < 0 || gid > MAX_GID) {
                problem(path + ".supplementaryGIDs[" + i + "]", Long.toString(gid),
                        "must be a group ID between 0 and " + MAX_GID);
            }
        }
        unique(path + ".eventHandlers", app.eventHandlers(), EventHandler::name, "event handler");
        for (int i = 0; i < app.eventHandlers().size(); i++) {
            String name = app.eventHandlers().get(i).name();
            String at = path + ".eventHandlers[" + i + "].name";
            if (name == null) {
                missing(at, "must be \"pre-start\" or \"post-stop\"");
            } else if (!EVENT_HANDLER_NAMES.contains(name)) {
                problem(at, name, "must be \"pre-start\" or \"post-stop\"");
            }
        }
        if (app.workingDirectory() != null) {
            absolutePath(path + ".workingDirectory", app.workingDirectory());
        }
        unique(path + ".environment", app.environment(), EnvironmentVariable::name, "environment variable");
        for (int i = 0; i < app.environment().size(); i++) {
            String name = app.environment().get(i).name();
            String at = path + ".environment[" + i + "].name";
            if (name == null) {
                missing(at, "every environment variable needs a name");
            } else if (!AcSyntax.isEnvironmentName(name)) {
                problem(at, name, "an environment variable name consists of letters, digits, '_', '.' and '-'"
                        + " and does not start with a digit, '.' or '-' (e.g. JAVA_OPTS)");
            }
        }
        for (int i = 0; i < app.isolators().size(); i++) {
            Isolator isolator = app.isolators().get(i);
            acIdentifier(path + ".isolators[" + i + "].name", isolator.name(),
                    "every isolator needs a name, e.g. resource/memory");
            if (isolator.value() == null) {
                missing(path + ".isolators[" + i + "].value", "every isolator needs a value, e.g."
                        + " {\"limit\": \"1G\"} for resource/memory");
            }
        }
        unique(path + ".mountPoints", app.mountPoints(), MountPoint::name, "mount point");
        for (int i = 0; i < app.mountPoints().size(); i++) {
            MountPoint mount = app.mountPoints().get(i);
            acName(path + ".mountPoints[" + i + "].name", mount.name());
            required(path + ".mountPoints[" + i + "].path", mount.path(), "the path in the rootfs where the"
                    + " volume is mounted, e.g. /var/lib/data");
        }
        unique(path + ".ports", app.ports(), Port::name, "port");
        for (int i = 0; i < app.ports().size(); i++) {
            port(path + ".ports[" + i + "]", app.ports().get(i));
        }
    }

    private void port(String path, Port port) {
        acName(path + ".name", port.name());
        required(path + ".protocol", port.protocol(), "the port's protocol, e.g. tcp or udp");
        if (port.port() == null) {
            missing(path + ".port", "the port number, 1 to 65535");
        } else if (port.port() < 1 || port.port() > 65535) {
            problem(path + ".port", port.port().toString(), "a port number must be between 1 and 65535");
        }
        if (port.count() != null && port.count() < 1) {
            problem(path + ".count", port.count().toString(), "the number of ports in the range must be at least"
                    + " 1 (leave it out for a single port)");
        } else if (port.port() != null && port.port() >= 1 && port.port() <= 65535
                && (long) port.port() + port.effectiveCount() > 65536) {
            problem(path + ".count", Integer.toString(port.effectiveCount()), "the range " + port.port()
                    + " to " + ((long) port.port() + port.effectiveCount() - 1) + " ends above port 65535;"
                    + " port + count must not exceed 65536");
        }
    }

    private void annotations(List<Annotation> annotations) {
        unique("annotations", annotations, Annotation::name, "annotation");
        for (int i = 0; i < annotations.size(); i++) {
            Annotation annotation = annotations.get(i);
            acIdentifier("annotations[" + i + "].name", annotation.name(), "every annotation needs a name");
            String at = "annotations[" + i + "].value";
            if (Annotation.CREATED.equals(annotation.name()) && !AcSyntax.isRfc3339(annotation.value())) {
                problem(at, annotation.value(), "the created annotation must be an RFC 3339 date-time, e.g."
                        + " 2026-01-01T00:00:00Z");
            }
            if ((Annotation.HOMEPAGE.equals(annotation.name()) || Annotation.DOCUMENTATION.equals(annotation.name()))
                    && !AcSyntax.isHttpUrl(annotation.value())) {
                problem(at, annotation.value(), "the " + annotation.name() + " annotation must be an http or"
                        + " https URL, e.g. https://example.com/docs");
            }
        }
    }

    private void dependency(String path, Dependency dependency) {
        acIdentifier(path + ".imageName", dependency.imageName(), "every dependency needs the image's name");
        if (dependency.imageID() != null && !ImageId.isValid(dependency.imageID())) {
            problem(path + ".imageID", dependency.imageID(), "an image ID is \"sha512-\" followed by the 128"
                    + " lower-case hex digits of the image's SHA-512; leave it out to accept any matching image");
        }
        labels(path + ".labels", dependency.labels());
        if (dependency.size() != null && dependency.size() < 0) {
            problem(path + ".size", dependency.size().toString(), "a size in bytes cannot be negative");
        }
    }

    private void acIdentifier(String path, String value, String whenMissing) {
        if (value == null || value.isEmpty()) {
            problem(path, value, whenMissing + "; it " + AC_IDENTIFIER_RULE);
        } else if (!AcSyntax.isAcIdentifier(value)) {
            problem(path, value, AC_IDENTIFIER_RULE);
        }
    }

    private void acName(String path, String value) {
        if (value == null || !AcSyntax.isAcName(value)) {
            problem(path, value, AC_NAME_RULE);
        }
    }

    private void absolutePath(String path, String value) {
        if (value == null || !value.startsWith("/")) {
            problem(path, value, "must be an absolute path (starting with '/')");
        }
    }

    private void required(String path, String value, String what) {
        if (value == null || value.isEmpty()) {
            problem(path, value, "must not be empty; give " + what);
        }
    }

    /** Reports the second and later entries that repeat an earlier entry's name. */
    private <T> void unique(String path, List<T> entries, Function<T, String> name, String what) {
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            String key = name.apply(entries.get(i));
            if (key == null) {
                continue;
            }
            Integer earlier = first.putIfAbsent(key, i);
            if (earlier != null) {
                problem(path + "[" + i + "].name", key, "this " + what + " name is already used at "
                        + path + "[" + earlier + "]; " + what + " names must be unique");
            }
        }
    }

    private static <T> int indexOf(List<T> entries, Function<T, String> name, String wanted) {
        for (int i = 0; i < entries.size(); i++) {
            if (wanted.equals(name.apply(entries.get(i)))) {
                return i;
            }
        }
        return -1;
    }

    private void missing(String path, String rule) {
        problems.add(new ManifestProblem(path, null, rule));
    }

    private void problem(String path, String value, String rule) {
        problems.add(new ManifestProblem(path, value, rule));
    }
}
