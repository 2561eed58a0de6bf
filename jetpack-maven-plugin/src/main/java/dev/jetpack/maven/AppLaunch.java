package dev.jetpack.maven;

import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.ready.HttpReady;
import dev.jetpack.engine.ready.LogReady;
import dev.jetpack.engine.ready.ReadyCondition;
import dev.jetpack.engine.ready.TcpReady;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One app to run as the POM configures it, checked and parsed once: which image (empty: the project's own), the
 * instance name if given, volumes as existing host paths, environment, arguments, and the readiness conditions.
 *
 * @param where       where it is configured, for messages: {@code <configuration>} or {@code <apps>[2]}
 * @param image       the image configured, or empty for the project's own
 * @param name        the instance name if configured; else derived from the image's name
 */
record AppLaunch(String where, Optional<AbstractImageMojo.ConfiguredImage> image, Optional<String> name,
                 Map<String, Path> volumes, Map<String, String> environment, List<String> arguments,
                 List<ReadyCondition> ready, Duration timeout) {

    AppLaunch {
        volumes = Collections.unmodifiableMap(new LinkedHashMap<>(volumes));
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        arguments = List.copyOf(arguments);
        ready = List.copyOf(ready);
    }

    /**
     * @param basedir relative volume paths are resolved against it
     * @throws ConfigurationException naming {@code where} and the setting that is wrong
     */
    static AppLaunch parse(String where, Optional<AbstractImageMojo.ConfiguredImage> image, String name,
                           Map<String, String> volumes, Map<String, String> environment, List<String> args,
                           Wait wait, Path basedir) throws ConfigurationException {
        Optional<String> instance = Optional.ofNullable(name).map(String::trim).filter(n -> !n.isEmpty());
        Map<String, Path> hostPaths = new LinkedHashMap<>();
        for (Map.Entry<String, String> volume : nonNull(volumes).entrySet()) {
            String value = volume.getValue() == null ? "" : volume.getValue().trim();
            if (value.isEmpty()) {
                throw new ConfigurationException("Volume '" + volume.getKey() + "' in " + where + " has no host"
                        + " path: write <" + volume.getKey() + ">path/on/host</" + volume.getKey() + ">");
            }
            Path path = basedir.resolve(value).normalize();
            if (!Files.exists(path)) {
                throw new ConfigurationException("Volume '" + volume.getKey() + "' in " + where + " names " + path
                        + ", which does not exist; create it first or fix the path (relative paths are relative"
                        + " to the project directory)");
            }
            hostPaths.put(volume.getKey(), path);
        }
        Map<String, String> variables = new LinkedHashMap<>();
        nonNull(environment).forEach((key, value) -> variables.put(key, value == null ? "" : value));
        List<String> arguments = args == null ? List.of() : args.stream().map(a -> a == null ? "" : a).toList();
        List<ReadyCondition> ready = new ArrayList<>();
        Duration timeout = Duration.ofSeconds(Wait.DEFAULT_TIMEOUT_SECONDS);
        if (wait != null) {
            try {
                if (present(wait.http())) {
                    ready.add(HttpReady.parse(wait.http()));
                }
                if (present(wait.tcp())) {
                    ready.add(TcpReady.parse(wait.tcp()));
                }
                if (wait.log() != null && !wait.log().isEmpty()) {
                    ready.add(LogReady.parse(wait.log()));
                }
            } catch (JetpackException e) {
                throw new ConfigurationException("Invalid <wait> in " + where + ": " + e.getMessage(), e);
            }
            if (wait.timeout() != null) {
                if (wait.timeout() < 1) {
                    throw new ConfigurationException("<wait><timeout> in " + where + " is " + wait.timeout()
                            + ": give the seconds to wait for the app, 1 or more");
                }
                timeout = Duration.ofSeconds(wait.timeout());
            }
        }
        return new AppLaunch(where, image, instance, hostPaths, variables, arguments, ready, timeout);
    }

    private static boolean present(String text) {
        return text != null && !text.isBlank();
    }

    private static Map<String, String> nonNull(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
