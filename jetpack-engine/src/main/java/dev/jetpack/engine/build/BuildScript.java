package dev.jetpack.engine.build;

import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The default build command's script: the counterpart of Jetpack's {@code jetpack.image.mk}, which the make
 * macros copied into the work dir and ran with {@code make .jetpack.build.}.
 *
 * <p>The script is POSIX {@code /bin/sh} (dash, busybox ash, bash all run it) and runs in the work dir as root:
 * <ol>
 *   <li>Its arguments (BUILD_ARGS): each {@code NAME=value} is exported as an environment variable, the others
 *       become the positional parameters ({@code $1}, {@code $2}, ...) of every build step.</li>
 *   <li>The packages (PKG_INSTALL), if any, are installed with the first package manager found in the image:
 *       apt-get (update with {@code --error-on=any} where apt supports it, install without recommends, lists
 *       and caches removed afterwards), apk ({@code --no-cache}), dnf or yum (then {@code clean all}) or pkg.
 *       None found: the script stops with a message naming the packages.</li>
 *   <li>The build steps run in order, each echoed as {@code + step} and run by {@code /bin/sh -e -c} (so a
 *       multi-line step stops at its first failing line); the first failing step stops the build with its
 *       number and exit code.</li>
 *   <li>Unless the manifest comes from elsewhere, {@code manifest.json} must exist in the work dir at the end.</li>
 * </ol>
 * Every package name and step is embedded single-quoted, so no text from a POM is ever re-parsed by the shell
 * except the steps themselves, which are shell commands by definition.
 */
public final class BuildScript {
    /** Name of the script in the work dir. */
    public static final String FILE_NAME = "jetpack.build.sh";

    /** Prefix of the script's own messages, so that users can tell them from their steps' output. */
    private static final String PREFIX = "jetpack build: ";

    /** apt learned {@code update --error-on=any} in this version; older ones reject the option. */
    private static final String APT_ERROR_ON_VERSION = "2.1.16";

    private final List<String> packages;
    private final List<String> steps;
    private final boolean requireManifest;

    private BuildScript(List<String> packages, List<String> steps, boolean requireManifest) {
        this.packages = packages;
        this.steps = steps;
        this.requireManifest = requireManifest;
    }

    /**
     * @param packages packages to install (PKG_INSTALL); names may not start with {@code -} nor contain
     *                 whitespace or control characters
     * @param steps    shell commands run in order; none may be blank
     * @throws JetpackException when a package name or step is unusable
     */
    public static BuildScript of(List<String> packages, List<String> steps) {
        List<String> pkgs = List.copyOf(Objects.requireNonNull(packages, "packages"));
        List<String> cmds = List.copyOf(Objects.requireNonNull(steps, "steps"));
        for (String pkg : pkgs) {
            checkPackage(pkg);
        }
        for (int i = 0; i < cmds.size(); i++) {
            String step = cmds.get(i);
            if (step.isBlank()) {
                throw new JetpackException("Build step " + (i + 1) + " is empty: every build step must be a shell"
                        + " command; remove the empty entry");
            }
            checkNoNul(step, "Build step " + (i + 1));
        }
        return new BuildScript(pkgs, cmds, true);
    }

    /**
     * @param require false when the manifest is given outside the work dir (e.g. in the POM), so the script
     *                must not insist on {@code manifest.json}
     */
    public BuildScript requireManifest(boolean require) {
        return new BuildScript(packages, steps, require);
    }

    /**
     * Writes the script as {@value #FILE_NAME} into {@code directory} (created if missing), atomically, so that
     * it can be copied into the build's work directory as an extra file.
     *
     * @return the script file
     */
    public Path writeTo(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve(FILE_NAME);
        AtomicFiles.write(file, render().getBytes(StandardCharsets.UTF_8));
        return file;
    }

    /**
     * The build command that runs the script copied into the work directory (the command's working directory)
     * with {@code arguments} (BUILD_ARGS and BUILD_VARS).
     */
    public static List<String> command(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of("/bin/sh", FILE_NAME));
        command.addAll(arguments);
        return List.copyOf(command);
    }

    /** The script text. */
    public String render() {
        StringBuilder s = header();
        renderArguments(s);
        if (!packages.isEmpty()) {
            renderPackages(s);
        }
        renderSteps(s, 0, steps.size());
        if (requireManifest) {
            s.append("if [ ! -f manifest.json ]; then\n");
            s.append("  printf '%s\\n' ").append(quote(PREFIX + "no manifest.json in the work dir after the build:"
                    + " put a static manifest.json in the build directory, write it in a build step, or give"
                    + " the manifest in the POM")).append(" >&2\n");
            s.append("  exit 1\n");
            s.append("fi\n");
        }
        return s.toString();
    }

    /**
     * The script cut into stages for the stage cache: the package install (when there are packages), then one
     * script per step. Run one after the other in the same work dir they do what {@link #render} does, except
     * that the package install gets no arguments (its cache key is the package list, so nothing else may
     * change it) and the check for {@code manifest.json} is left to the build, after the last stage.
     */
    List<Stage> stages() {
        List<Stage> stages = new ArrayList<>();
        if (!packages.isEmpty()) {
            StringBuilder s = header();
            renderPackages(s);
            stages.add(new Stage("packages " + String.join(" ", packages), s.toString(), false));
        }
        for (int i = 0; i < steps.size(); i++) {
            StringBuilder s = header();
            renderArguments(s);
            renderSteps(s, i, i + 1);
            stages.add(new Stage("step " + (i + 1) + ": " + steps.get(i), s.toString(), true));
        }
        return stages;
    }

    /**
     * One stage's script.
     *
     * @param description what it runs, for the log
     * @param script      the script text, written as {@value #FILE_NAME} into the work dir before it runs
     * @param step        a build step (it gets the build arguments and the build inputs), not the package install
     */
    record Stage(String description, String script, boolean step) {
    }

    private static StringBuilder header() {
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/sh\n");
        s.append("# Generated by jetpack: the default build command. Runs in the work dir as root.\n");
        s.append("set -eu\n\n");
        return s;
    }

    private static void renderArguments(StringBuilder s) {
        s.append("# Arguments: NAME=value is exported; anything else is a positional parameter of every step.\n");
        s.append("jetpack_n=$#\n");
        s.append("while [ \"$jetpack_n\" -gt 0 ]; do\n");
        s.append("  jetpack_arg=$1\n");
        s.append("  shift\n");
        s.append("  jetpack_n=$((jetpack_n - 1))\n");
        s.append("  case $jetpack_arg in\n");
        s.append("    [A-Za-z_]*=*)\n");
        s.append("      case ${jetpack_arg%%=*} in\n");
        s.append("        *[!A-Za-z0-9_]*) set -- \"$@\" \"$jetpack_arg\" ;;\n");
        s.append("        *) export \"$jetpack_arg\" ;;\n");
        s.append("      esac ;;\n");
        s.append("    *) set -- \"$@\" \"$jetpack_arg\" ;;\n");
        s.append("  esac\n");
        s.append("done\n");
        s.append("unset jetpack_n jetpack_arg\n\n");
    }

    private void renderPackages(StringBuilder s) {
        String list = String.join(" ", packages.stream().map(BuildScript::quote).toList());
        String names = String.join(" ", packages);
        s.append("# Packages (PKG_INSTALL), with the image's own package manager.\n");
        s.append("if command -v apt-get >/dev/null 2>&1; then\n");
        s.append("  printf '%s\\n' ").append(quote(PREFIX + "installing with apt-get: " + names)).append('\n');
        s.append("  jetpack_apt=$(dpkg-query -W -f='${Version}' apt 2>/dev/null || true)\n");
        s.append("  if [ -n \"$jetpack_apt\" ] && dpkg --compare-versions \"$jetpack_apt\" ge ")
                .append(APT_ERROR_ON_VERSION).append("; then\n");
        s.append("    apt-get update --error-on=any\n");
        s.append("  else\n");
        s.append("    apt-get update\n");
        s.append("  fi\n");
        s.append("  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ").append(list)
                .append('\n');
        s.append("  apt-get clean\n");
        s.append("  rm -rf /var/lib/apt/lists/*\n");
        s.append("elif command -v apk >/dev/null 2>&1; then\n");
        s.append("  printf '%s\\n' ").append(quote(PREFIX + "installing with apk: " + names)).append('\n');
        s.append("  apk add --no-cache ").append(list).append('\n');
        for (String manager : new String[] {"dnf", "yum"}) {
            s.append("elif command -v ").append(manager).append(" >/dev/null 2>&1; then\n");
            s.append("  printf '%s\\n' ").append(quote(PREFIX + "installing with " + manager + ": " + names))
                    .append('\n');
            s.append("  ").append(manager).append(" install -y ").append(list).append('\n');
            s.append("  ").append(manager).append(" clean all\n");
        }
        s.append("elif command -v pkg >/dev/null 2>&1; then\n");
        s.append("  printf '%s\\n' ").append(quote(PREFIX + "installing with pkg: " + names)).append('\n');
        s.append("  ASSUME_ALWAYS_YES=yes pkg install -y ").append(list).append('\n');
        s.append("  pkg clean -a -y\n");
        s.append("else\n");
        s.append("  printf '%s\\n' ").append(quote(PREFIX + "cannot install the packages " + names + ": no package"
                + " manager in the image (looked for apt-get, apk, dnf, yum, pkg); use a parent image that has"
                + " one, or install them in a build step")).append(" >&2\n");
        s.append("  exit 1\n");
        s.append("fi\n\n");
    }

    private void renderSteps(StringBuilder s, int from, int to) {
        if (from >= to) {
            return;
        }
        s.append("# Build steps, in order; the first failure stops the build.\n");
        s.append("jetpack_step() {\n");
        s.append("  jetpack_number=$1\n");
        s.append("  jetpack_command=$2\n");
        s.append("  shift 2\n");
        s.append("  printf '+ %s\\n' \"$jetpack_command\"\n");
        s.append("  jetpack_status=0\n");
        s.append("  /bin/sh -e -c \"$jetpack_command\" jetpack-step \"$@\" || jetpack_status=$?\n");
        s.append("  if [ \"$jetpack_status\" -ne 0 ]; then\n");
        s.append("    printf '").append(PREFIX).append("step %s of ").append(steps.size())
                .append(" failed with exit code %s: %s\\n' \"$jetpack_number\" \"$jetpack_status\""
                        + " \"$jetpack_command\" >&2\n");
        s.append("    exit \"$jetpack_status\"\n");
        s.append("  fi\n");
        s.append("}\n");
        for (int i = from; i < to; i++) {
            s.append("jetpack_step ").append(i + 1).append(' ').append(quote(steps.get(i))).append(" \"$@\"\n");
        }
        s.append('\n');
    }

    /**
     * Quotes text for a POSIX shell: single quotes around it, each {@code '} written {@code '\''}. The result
     * is one word with exactly the given characters, whatever they are.
     */
    public static String quote(String text) {
        checkNoNul(text, "Shell text");
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static void checkPackage(String pkg) {
        if (pkg == null || pkg.isEmpty() || pkg.startsWith("-")
                || pkg.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new JetpackException("Invalid package name '" + pkg + "': a package name may not be empty,"
                    + " start with '-' or contain spaces or control characters; list one package per entry,"
                    + " e.g. <package>nginx</package>");
        }
    }

    private static void checkNoNul(String text, String what) {
        if (text.indexOf('\0') >= 0) {
            throw new JetpackException(what + " contains a NUL character, which no shell can pass on; remove it");
        }
    }
}
