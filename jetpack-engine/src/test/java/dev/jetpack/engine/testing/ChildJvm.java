package dev.jetpack.engine.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM that runs a class of the tests on the tests' own class path: for the tests
 * that need a second process (several JVMs on one store, a SIGKILL or SIGTERM mid-run, the command line as a
 * user starts it).
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** {@code java -cp <the tests' class path> main args...}, with the running JVM's {@code java}. */
    public static List<String> command(Class<?> main, String... args) {
        return command(List.of(), main, List.of(args));
    }

    /** As {@link #command(Class, String...)} with {@code jvmOptions} before the class path. */
    public static List<String> command(List<String> jvmOptions, Class<?> main, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath());
        command.add(main.getName());
        command.addAll(args);
        return command;
    }

    /** Surefire's real test class path (java.class.path may be only its booter jar). */
    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
