package dev.jetpack.engine.manifest;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code app} section of an image manifest: how to run the image as an application.
 *
 * <p>Lists and maps are never null (empty when the JSON omits them); {@code user}, {@code group} and
 * {@code workingDirectory} are null only when the JSON omits them. {@code userAnnotations} and
 * {@code userLabels} (free-form string maps, added in appc 0.8.11) are kept sorted by key, which is also the
 * order they are written in.
 */
public record App(
        List<String> exec,
        String user,
        String group,
        List<Long> supplementaryGIDs,
        List<EventHandler> eventHandlers,
        String workingDirectory,
        List<EnvironmentVariable> environment,
        List<Isolator> isolators,
        List<MountPoint> mountPoints,
        List<Port> ports,
        Map<String, String> userAnnotations,
        Map<String, String> userLabels) {

    public App {
        exec = copy(exec);
        supplementaryGIDs = copy(supplementaryGIDs);
        eventHandlers = copy(eventHandlers);
        environment = copy(environment);
        isolators = copy(isolators);
        mountPoints = copy(mountPoints);
        ports = copy(ports);
        userAnnotations = sorted(userAnnotations);
        userLabels = sorted(userLabels);
    }

    /** An app that runs {@code exec} as {@code user}:{@code group}, with nothing else set. */
    public static App of(List<String> exec, String user, String group) {
        return new App(exec, user, group, null, null, null, null, null, null, null, null, null);
    }

    /** The value of the environment variable {@code name}, if the app sets it. */
    public Optional<String> environmentVariable(String name) {
        return environment.stream().filter(e -> name.equals(e.name())).map(EnvironmentVariable::value).findFirst();
    }

    /** The event handler called {@code name} ({@code pre-start} or {@code post-stop}), if there is one. */
    public Optional<EventHandler> eventHandler(String name) {
        return eventHandlers.stream().filter(h -> name.equals(h.name())).findFirst();
    }

    public App withExec(List<String> newExec) {
        return new App(newExec, user, group, supplementaryGIDs, eventHandlers, workingDirectory, environment,
                isolators, mountPoints, ports, userAnnotations, userLabels);
    }

    public App withWorkingDirectory(String newWorkingDirectory) {
        return new App(exec, user, group, supplementaryGIDs, eventHandlers, newWorkingDirectory, environment,
                isolators, mountPoints, ports, userAnnotations, userLabels);
    }

    public App withEnvironment(List<EnvironmentVariable> newEnvironment) {
        return new App(exec, user, group, supplementaryGIDs, eventHandlers, workingDirectory, newEnvironment,
                isolators, mountPoints, ports, userAnnotations, userLabels);
    }

    static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    private static Map<String, String> sorted(Map<String, String> map) {
        return map == null || map.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(map));
    }
}
