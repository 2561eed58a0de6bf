package dev.jetpack.engine.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostCommandStreamTest {
    @TempDir
    Path dir;

    @Test
    void streamsLinesInTheDirectoryWithTheEnvironmentAndKeepsTheTail() throws Exception {
        List<String> lines = new ArrayList<>();
        HostCommand.Result result = HostCommand.stream(List.of("/bin/sh", "-c",
                "echo \"$GREETING\" > out; for i in $(seq 1 30); do echo line$i; done; echo err >&2; exit 4"),
                dir, Map.of("GREETING", "hi"), lines::add);
        assertThat(Files.readString(dir.resolve("out"))).isEqualTo("hi\n");
        assertThat(lines).hasSize(31).startsWith("line1").endsWith("err");
        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.output().split("\n")).hasSize(HostCommand.TAIL_LINES).endsWith("line30", "err");
    }
}
