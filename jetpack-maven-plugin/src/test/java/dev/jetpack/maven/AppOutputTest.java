package dev.jetpack.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.ready.LogReady;
import dev.jetpack.engine.runtime.OutputSink.Stream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppOutputTest {
    @TempDir
    Path dir;

    @Test
    void everyLineReachesTheFileAtOnceTheMavenLogTheTailAndTheListeners() throws Exception {
        Path file = dir.resolve("jetpack/web.log");
        LogReady ready = LogReady.parse("listening");
        PrintStream original = System.out;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
        try (AppOutput output = new AppOutput("web", file, new SystemStreamLog(), List.of(ready))) {
            output.line(Stream.STDOUT, "starting");
            // Readable while the app runs: tests and users tail it.
            assertThat(Files.readAllLines(file)).containsExactly("starting");
            output.line(Stream.STDERR, "listening on 8080");
            for (int i = 0; i < 30; i++) {
                output.line(Stream.STDOUT, "line " + i);
            }
            assertThat(ready.isMet()).isTrue();
            assertThat(output.lastLines()).hasSize(20).startsWith("line 10").endsWith("line 29");
        } finally {
            System.setOut(original);
        }
        assertThat(Files.readAllLines(file)).hasSize(32).startsWith("starting", "listening on 8080");
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("[web] listening on 8080", "[web] line 29");
    }

    @Test
    void aSecondStartEmptiesTheOldLog() throws Exception {
        Path file = dir.resolve("web.log");
        Files.writeString(file, "from the last run\n");
        try (AppOutput output = new AppOutput("web", file, new SystemStreamLog(), List.of())) {
            output.line(Stream.STDOUT, "new");
        }
        assertThat(Files.readAllLines(file)).containsExactly("new");
    }
}
