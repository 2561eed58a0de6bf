package dev.jetpack.maven;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.AbstractMavenLifecycleParticipant;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/**
 * Declares {@code jetpack:build}'s build directory (BUILD_DIR) as an input for Apache's build cache extension, which
 * reads project properties named {@code maven.build.cache.input.*} as further input paths when it computes a
 * module's key. Without it, a changed file in {@code src/main/image} (not a Maven source or resource directory)
 * would leave the key as it was and a stale image would be restored. Runs once the projects are read, before any
 * module is built, in every project that uses this plugin (it is loaded as a build extension); without the cache
 * extension the property is unused. {@code copyFiles} and a parent or rootfs given as a path need no declaration:
 * the extension finds existing paths in the plugin configuration by itself. Registered in
 * META-INF/plexus/components.xml, like the packaging, so that Maven 3.8 sees it too.
 */
public class BuildCacheInputs extends AbstractMavenLifecycleParticipant {
    static final String PLUGIN_KEY = "dev.jetpack:jetpack-maven-plugin";
    static final String PROPERTY = "maven.build.cache.input.jetpack.buildDirectory";
    private static final String DEFAULT_BUILD_DIRECTORY = "src/main/image";

    @Override
    public void afterProjectsRead(MavenSession session) {
        String fromCommandLine = session.getUserProperties().getProperty("jetpack.buildDirectory");
        for (MavenProject project : session.getProjects()) {
            Plugin plugin = project.getPlugin(PLUGIN_KEY);
            if (plugin != null && !project.getProperties().containsKey(PROPERTY)) {
                project.getProperties().setProperty(PROPERTY,
                        buildDirectory(project.getBasedir().toPath(), plugin, fromCommandLine).toString());
            }
        }
    }

    /**
     * Where the build directory is: each {@code buildDirectory} of the plugin's configuration, else the
     * command line's {@code -Djetpack.buildDirectory}, else the default; relative paths against the project.
     * With several executions that set different ones, the first is declared (listed in the POM's order).
     */
    static Path buildDirectory(Path basedir, Plugin plugin, String fromCommandLine) {
        List<Object> configurations = new ArrayList<>();
        configurations.add(plugin.getConfiguration());
        for (PluginExecution execution : plugin.getExecutions()) {
            configurations.add(execution.getConfiguration());
        }
        String configured = null;
        for (Object configuration : configurations) {
            if (configured == null && configuration instanceof Xpp3Dom dom && dom.getChild("buildDirectory") != null) {
                configured = dom.getChild("buildDirectory").getValue();
            }
        }
        String chosen = configured != null && !configured.isBlank() ? configured.trim()
                : fromCommandLine != null && !fromCommandLine.isBlank() ? fromCommandLine.trim()
                : DEFAULT_BUILD_DIRECTORY;
        return basedir.resolve(chosen).normalize();
    }
}
