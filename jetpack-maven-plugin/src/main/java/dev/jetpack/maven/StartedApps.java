package dev.jetpack.maven;

import dev.jetpack.engine.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.maven.project.MavenProject;

/**
 * The apps {@code jetpack:start} started for one project, from start to stop.
 *
 * <p>Within one Maven run the handles live in the project's context (mojos of one project run in one JVM, one
 * after the other). Their names are also written to {@code target/jetpack/started-apps}, so that a
 * {@code jetpack:stop} in a later Maven run knows that the run which started them is gone: the engine's sweep
 * (run when the store opens) then removes what that run left.
 */
final class StartedApps {
    private static final String CONTEXT_KEY = "dev.jetpack.maven.startedApps";
    private static final String STATE_FILE = "started-apps";

    private final List<StartedApp> apps = new ArrayList<>();
    private final Path stateFile;

    private StartedApps(Path stateFile) {
        this.stateFile = stateFile;
    }

    /** The project's registry, created on first use; {@code workDirectory} is the plugin's target/jetpack. */
    static synchronized StartedApps of(MavenProject project, Path workDirectory) {
        Object known = project.getContextValue(CONTEXT_KEY);
        if (known instanceof StartedApps apps) {
            return apps;
        }
        StartedApps apps = new StartedApps(workDirectory.resolve(STATE_FILE));
        project.setContextValue(CONTEXT_KEY, apps);
        return apps;
    }

    /** Records a started app, in memory and in the state file. */
    synchronized void add(StartedApp app) throws IOException {
        apps.add(app);
        writeState();
    }

    /** The apps started in this JVM, last started first (the order to stop them in); forgets them. */
    synchronized List<StartedApp> takeAll() {
        List<StartedApp> taken = new ArrayList<>(apps);
        apps.clear();
        Collections.reverse(taken);
        return taken;
    }

    /** The names the state file lists: apps started by this or an earlier Maven run and not yet stopped. */
    synchronized List<String> recordedNames() throws IOException {
        if (!Files.isRegularFile(stateFile)) {
            return List.of();
        }
        return Files.readAllLines(stateFile, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
    }

    /** Forgets every recorded name (after stop removed them). */
    synchronized void clearState() throws IOException {
        Files.deleteIfExists(stateFile);
    }

    Path stateFile() {
        return stateFile;
    }

    private void writeState() throws IOException {
        List<String> names = new ArrayList<>(recordedNames());
        for (StartedApp app : apps) {
            if (!names.contains(app.name())) {
                names.add(app.name());
            }
        }
        Files.createDirectories(stateFile.getParent());
        AtomicFiles.write(stateFile, (String.join("\n", names) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
