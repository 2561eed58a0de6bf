package dev.jetpack.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostCommandsTest {
    @TempDir
    Path dir;

    @Test
    void runsInOrderInTheDirectoryWithTheEnvironmentAndPassesOutputOn() throws Exception {
        List<String> out = new ArrayList<>();
        HostCommands.run(List.of("echo \"$GREETING\" > a", "cat a; echo err >&2"), dir, Map.of("GREETING", "hi"),
                out::add);
        assertThat(out).containsExactly("+ echo \"$GREETING\" > a", "+ cat a; echo err >&2", "hi", "err")
                .as("stderr merged");
        assertThat(dir.resolve("a")).hasContent("hi");
    }

    @Test
    void firstFailureStopsWithNumberAndExitCode() {
        assertThatThrownBy(() -> HostCommands.run(List.of("true", "exit 7", "touch never"), dir, Map.of(),
                s -> { }))
                .isInstanceOf(HostCommands.StepFailedException.class)
                .hasMessage("Preparation step 2 of 3 failed with exit code 7: exit 7");
        assertThat(Files.exists(dir.resolve("never"))).isFalse();
    }
}
