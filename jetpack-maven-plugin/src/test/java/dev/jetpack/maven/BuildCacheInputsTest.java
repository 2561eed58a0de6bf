package dev.jetpack.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.codehaus.plexus.util.xml.Xpp3Dom;
import org.junit.jupiter.api.Test;

class BuildCacheInputsTest {
    private static final Path BASEDIR = Path.of("/work/project");

    private static Xpp3Dom configuration(String buildDirectory) {
        Xpp3Dom configuration = new Xpp3Dom("configuration");
        Xpp3Dom child = new Xpp3Dom("buildDirectory");
        child.setValue(buildDirectory);
        configuration.addChild(child);
        return configuration;
    }

    @Test
    void theDefaultBuildDirectoryWhenNothingIsConfigured() {
        assertThat(BuildCacheInputs.buildDirectory(BASEDIR, new Plugin(), null))
                .isEqualTo(Path.of("/work/project/src/main/image"));
    }

    @Test
    void theCommandLineWhenThePomSaysNothing() {
        assertThat(BuildCacheInputs.buildDirectory(BASEDIR, new Plugin(), "src/image"))
                .isEqualTo(Path.of("/work/project/src/image"));
    }

    @Test
    void thePluginsOrAnExecutionsConfigurationWins() {
        Plugin plugin = new Plugin();
        plugin.setConfiguration(configuration("/elsewhere/image"));
        assertThat(BuildCacheInputs.buildDirectory(BASEDIR, plugin, "src/image")).isEqualTo(Path.of("/elsewhere/image"));

        Plugin inExecution = new Plugin();
        PluginExecution execution = new PluginExecution();
        execution.setConfiguration(configuration("docker/../image"));
        inExecution.addExecution(execution);
        assertThat(BuildCacheInputs.buildDirectory(BASEDIR, inExecution, null))
                .isEqualTo(Path.of("/work/project/image"));
    }
}
