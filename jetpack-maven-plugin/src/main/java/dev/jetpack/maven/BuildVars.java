package dev.jetpack.maven;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The counterpart of the make macros' BUILD_VARS: of the listed variable names, the ones that are defined
 * become {@code NAME=value} build arguments; the others are left out, so that listing {@code http_proxy}
 * costs nothing on a machine without a proxy.
 *
 * <p>A name is looked up in the user properties ({@code -Dname=value}), then the project properties, then the
 * environment Maven runs in: the first that defines it wins. An empty value counts as defined, as in make.
 */
public final class BuildVars {
    /** What a shell accepts as a variable name; anything else could not be exported in the build. */
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private BuildVars() {
    }

    /**
     * @param names the configured {@code buildVars}, in order (null means none)
     * @return the defined ones, in the order listed, name to value
     * @throws ConfigurationException when a name is not a valid shell variable name
     */
    public static Map<String, String> resolve(List<String> names, Properties userProperties,
            Properties projectProperties, Map<String, String> environment) throws ConfigurationException {
        Map<String, String> defined = new LinkedHashMap<>();
        if (names == null) {
            return defined;
        }
        for (String name : names) {
            String trimmed = name == null ? "" : name.trim();
            if (!VARIABLE_NAME.matcher(trimmed).matches()) {
                throw new ConfigurationException("Invalid entry '" + name + "' in parameter 'buildVars': a"
                        + " variable name must match " + VARIABLE_NAME.pattern()
                        + "; list names only, e.g. <buildVar>http_proxy</buildVar>, and put values in buildArgs");
            }
            String value = lookup(trimmed, userProperties, projectProperties, environment);
            if (value != null) {
                defined.put(trimmed, value);
            }
        }
        return defined;
    }

    /** The resolved variables as build arguments, {@code NAME=value}, the way BUILD_VARS adds them to BUILD_ARGS. */
    public static List<String> asArguments(Map<String, String> variables) {
        List<String> arguments = new ArrayList<>(variables.size());
        variables.forEach((name, value) -> arguments.add(name + "=" + value));
        return arguments;
    }

    private static String lookup(String name, Properties user, Properties project, Map<String, String> env) {
        if (user != null && user.getProperty(name) != null) {
            return user.getProperty(name);
        }
        if (project != null && project.getProperty(name) != null) {
            return project.getProperty(name);
        }
        return env == null ? null : env.get(name);
    }
}
