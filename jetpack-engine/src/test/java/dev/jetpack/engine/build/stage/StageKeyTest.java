package dev.jetpack.engine.build.stage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each input of a stage changes its key; times of files and proxy variables do not. */
class StageKeyTest {
    @TempDir
    Path dir;

    private StageKey key(String parent, String step, List<String> arguments, Map<String, String> variables,
                         Map<String, Path> inputs) throws Exception {
        return StageKey.first(parent).value("script", step).values("build arguments", arguments)
                .variables("build variables", variables).trees("inputs", inputs).build();
    }

    @Test
    void eachInputChangesTheKeyAndTheDifferenceNamesIt() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("src"));
        Files.writeString(tree.resolve("index.html"), "one");
        Map<String, Path> inputs = Map.of("src", tree);
        StageKey base = key("sha512-aa", "make", List.of("A=1"), Map.of("V", "x"), inputs);

        assertThat(key("sha512-aa", "make", List.of("A=1"), Map.of("V", "x"), inputs)).isEqualTo(base);
        StageKey parent = key("sha512-bb", "make", List.of("A=1"), Map.of("V", "x"), inputs);
        StageKey step = key("sha512-aa", "make all", List.of("A=1"), Map.of("V", "x"), inputs);
        StageKey arguments = key("sha512-aa", "make", List.of("A=2"), Map.of("V", "x"), inputs);
        StageKey variables = key("sha512-aa", "make", List.of("A=1"), Map.of("V", "y"), inputs);
        Files.writeString(tree.resolve("index.html"), "two");
        StageKey content = key("sha512-aa", "make", List.of("A=1"), Map.of("V", "x"), inputs);
        Files.setPosixFilePermissions(tree.resolve("index.html"), PosixFilePermissions.fromString("rwx------"));
        StageKey mode = key("sha512-aa", "make", List.of("A=1"), Map.of("V", "x"), inputs);
        Files.writeString(tree.resolve("new.txt"), "");
        StageKey added = key("sha512-aa", "make", List.of("A=1"), Map.of("V", "x"), inputs);

        assertThat(List.of(base, parent, step, arguments, variables, content, mode, added))
                .extracting(StageKey::digest).doesNotHaveDuplicates();
        assertThat(parent.differences(base)).containsExactly("the parent image");
        assertThat(step.differences(base)).containsExactly("script");
        assertThat(arguments.differences(base)).containsExactly("build arguments");
        assertThat(variables.differences(base)).containsExactly("build variables");
        assertThat(content.differences(base)).containsExactly("inputs");
        assertThat(StageKey.after(base).value("script", "x").build().digest())
                .isNotEqualTo(StageKey.after(step).value("script", "x").build().digest());
        assertThat(StageKey.after(base).value("script", "x").build().differences(
                StageKey.after(step).value("script", "x").build())).containsExactly("the previous stage");
    }

    @Test
    void timesAndProxiesDoNotChangeTheKey() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("src/sub"));
        Files.writeString(tree.resolve("file"), "same");
        Map<String, Path> inputs = Map.of("src", dir.resolve("src"));
        StageKey before = key("sha512-aa", "make", List.of(), Map.of("V", "x"), inputs);
        Files.setLastModifiedTime(tree.resolve("file"), FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
        Files.setLastModifiedTime(tree, FileTime.from(Instant.parse("2002-01-01T00:00:00Z")));
        StageKey after = key("sha512-aa", "make", List.of(), Map.of("V", "x", "http_proxy", "http://p:3128",
                "HTTPS_PROXY", "http://q:3128", "no_proxy", "localhost"), inputs);
        assertThat(after).isEqualTo(before);
        assertThat(StageKey.isProxyVariable("NO_PROXY")).isTrue();
        assertThat(StageKey.isProxyVariable("PROXY_MODE")).isFalse();
    }
}
