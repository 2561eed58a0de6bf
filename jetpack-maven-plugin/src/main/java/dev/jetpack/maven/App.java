package dev.jetpack.maven;

import java.util.List;
import java.util.Map;

/**
 * One further image that {@code jetpack:start} runs, an entry of {@code <apps>}, with the same settings the goal
 * has for the project's own image:
 *
 * <pre>{@code
 * <apps>
 *   <app>
 *     <image>com.example:db:1.0</image>
 *     <name>db</name>
 *     <volumes><data>target/db</data></volumes>
 *     <environment><DB_PORT>5433</DB_PORT></environment>
 *     <args><arg>--verbose</arg></args>
 *     <wait><tcp>5433</tcp></wait>
 *   </app>
 * </apps>
 * }</pre>
 */
public class App {
    private String image;
    private String name;
    private Map<String, String> volumes;
    private Map<String, String> environment;
    private List<String> args;
    private Wait wait;

    String image() {
        return image;
    }

    String name() {
        return name;
    }

    Map<String, String> volumes() {
        return volumes;
    }

    Map<String, String> environment() {
        return environment;
    }

    List<String> args() {
        return args;
    }

    Wait waitSettings() {
        return wait;
    }
}
