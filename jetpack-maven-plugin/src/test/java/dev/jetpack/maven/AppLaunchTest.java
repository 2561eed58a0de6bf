package dev.jetpack.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.ready.HttpReady;
import dev.jetpack.engine.ready.LogReady;
import dev.jetpack.engine.ready.TcpReady;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppLaunchTest {
    private static final String WHERE = "the goal's <configuration>";

    @TempDir
    Path project;

    @Test
    void settingsAreParsedOnceIntoTypedValues() throws Exception {
        Files.createDirectories(project.resolve("src/test/www"));
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("GREETING", "hi");
        environment.put("EMPTY", null);
        AppLaunch launch = AppLaunch.parse(WHERE, Optional.empty(), " web ", Map.of("www", "src/test/www"),
                environment, List.of("-p", "127.0.0.1:8080"),
                new Wait("http://127.0.0.1:8080/", "listening", "8080", 5), project);
        assertThat(launch.name()).contains("web");
        assertThat(launch.volumes()).containsExactly(Map.entry("www", project.resolve("src/test/www")));
        assertThat(launch.environment()).containsExactly(Map.entry("GREETING", "hi"), Map.entry("EMPTY", ""));
        assertThat(launch.arguments()).containsExactly("-p", "127.0.0.1:8080");
        assertThat(launch.ready()).hasSize(3).hasAtLeastOneElementOfType(HttpReady.class)
                .hasAtLeastOneElementOfType(TcpReady.class).hasAtLeastOneElementOfType(LogReady.class);
        assertThat(launch.timeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void noWaitMeansNoConditionAndTheDefaultTimeout() throws Exception {
        AppLaunch launch = AppLaunch.parse(WHERE, Optional.empty(), null, null, null, null, null, project);
        assertThat(launch.name()).isEmpty();
        assertThat(launch.ready()).isEmpty();
        assertThat(launch.timeout()).isEqualTo(Duration.ofSeconds(Wait.DEFAULT_TIMEOUT_SECONDS));
    }

    @Test
    void aMissingVolumePathIsRefusedNamingVolumeAndPath() {
        assertThatThrownBy(() -> AppLaunch.parse("<apps> entry 2", Optional.empty(), null, Map.of("data", "nope"),
                null, null, null, project)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Volume 'data' in <apps> entry 2 names " + project.resolve("nope"))
                .hasMessageContaining("does not exist");
    }

    @Test
    void badWaitSettingsAreRefusedNamingWhere() {
        assertThatThrownBy(() -> AppLaunch.parse(WHERE, Optional.empty(), null, null, null, null,
                new Wait(null, null, "http", null), project)).hasMessageContaining("Invalid <wait> in " + WHERE)
                .hasMessageContaining("'http' is not a port");
        assertThatThrownBy(() -> AppLaunch.parse(WHERE, Optional.empty(), null, null, null, null,
                new Wait(null, null, "8080", 0), project)).hasMessageContaining("<wait><timeout> in " + WHERE + " is 0");
    }
}
