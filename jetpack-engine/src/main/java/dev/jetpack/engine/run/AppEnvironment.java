package dev.jetpack.engine.run;

import dev.jetpack.engine.manifest.App;
import dev.jetpack.engine.manifest.EnvironmentVariable;
import dev.jetpack.engine.runtime.ContainerSpec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment an app (and its event handlers) gets, in this order: the manifest's {@code environment},
 * then the user's variables (which override it), then what the appc executor must provide (ace.md):
 * {@code PATH} with the spec's default when nobody set it, and {@code AC_APP_NAME}, the app's name. {@code HOME}
 * is the user's home directory from the image's {@code /etc/passwd} ({@code /} without an entry), unless set.
 * Nothing is inherited from the host.
 */
final class AppEnvironment {
    static final String APP_NAME_VARIABLE = "AC_APP_NAME";

    private AppEnvironment() {
    }

    static Map<String, String> of(App app, Map<String, String> overrides, String appName, AppUser user) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (EnvironmentVariable variable : app.environment()) {
            environment.put(variable.name(), variable.value());
        }
        environment.putAll(overrides);
        environment.putIfAbsent("PATH", ContainerSpec.DEFAULT_PATH);
        environment.put(APP_NAME_VARIABLE, appName);
        environment.putIfAbsent("HOME", user.home().orElse("/"));
        return Collections.unmodifiableMap(environment);
    }
}
