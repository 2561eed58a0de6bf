package dev.jetpack.engine.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.JetpackException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the generated script with the host's /bin/sh in a temporary work dir. */
class BuildScriptTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private Run run(BuildScript script, Map<String, String> env, String... args) throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Path file = work.resolve(BuildScript.FILE_NAME);
        Files.writeString(file, script.render());
        List<String> command = new ArrayList<>(List.of("/bin/sh", file.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        pb.environment().remove("DEBIAN_FRONTEND"); // CI sets it; the script must set it itself
        pb.environment().putAll(env);
        int exit = pb.start().waitFor();
        return new Run(exit, Files.readString(dir.resolve("out")), Files.readString(dir.resolve("err")));
    }

    private Run run(BuildScript script, String... args) throws Exception {
        return run(script, Map.of(), args);
    }

    @Test
    void runsStepsInOrderEchoingEachAndPassesWhenTheManifestIsThere() throws Exception {
        Run r = run(BuildScript.of(List.of(), List.of("echo one > order", "echo two >> order",
                "echo '{}' > manifest.json")));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readAllLines(dir.resolve("work/order"))).containsExactly("one", "two");
        assertThat(r.out()).contains("+ echo one > order\n+ echo two >> order\n");
    }

    @Test
    void firstFailingStepStopsTheBuildWithItsNumberAndExitCode() throws Exception {
        Run r = run(BuildScript.of(List.of(), List.of("true", "echo partial; exit 3", "touch not-reached")));
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).contains("jetpack build: step 2 of 3 failed with exit code 3: echo partial; exit 3");
        assertThat(r.out()).contains("partial");
        assertThat(dir.resolve("work/not-reached")).doesNotExist();
    }

    @Test
    void multiLineStepStopsAtItsFirstFailingLine() throws Exception {
        Run r = run(BuildScript.of(List.of(), List.of("false\ntouch after-false")));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(dir.resolve("work/after-false")).doesNotExist();
    }

    @Test
    void hostileTextReachesTheStepsExactly() throws Exception {
        String hostile = "it's \"quoted\" $HOME `touch pwned1` $(touch pwned2) \\ ; & | * \n second line";
        Path expected = dir.resolve("expected");
        Files.writeString(expected, hostile);
        // The step is a shell command by definition; the text it prints comes through an argument and a variable.
        Run r = run(BuildScript.of(List.of(), List.of(
                "printf %s \"$1\" > arg.txt",
                "printf %s \"$HOSTILE\" > var.txt",
                "printf 'it'\\''s' > step.txt",
                "echo '{}' > manifest.json")),
                hostile, "HOSTILE=" + hostile);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(dir.resolve("work/arg.txt"))).isEqualTo(hostile);
        assertThat(Files.readString(dir.resolve("work/var.txt"))).isEqualTo(hostile);
        assertThat(Files.readString(dir.resolve("work/step.txt"))).isEqualTo("it's");
        assertThat(dir.resolve("work/pwned1")).doesNotExist();
        assertThat(dir.resolve("work/pwned2")).doesNotExist();
    }

    @Test
    void assignmentsAreExportedOtherArgumentsArePositionalInOrder() throws Exception {
        Run r = run(BuildScript.of(List.of(), List.of(
                "printf '%s|' \"$#\" \"$@\" > args.txt; printf '%s' \"$http_proxy\" > env.txt",
                "echo '{}' > manifest.json")),
                "first", "http_proxy=http://proxy:3128", "not-a=name=x", "1X=y", "last");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(dir.resolve("work/args.txt"))).isEqualTo("4|first|not-a=name=x|1X=y|last|");
        assertThat(Files.readString(dir.resolve("work/env.txt"))).isEqualTo("http://proxy:3128");
    }

    @Test
    void missingManifestFailsWithAClearMessage() throws Exception {
        Run r = run(BuildScript.of(List.of(), List.of("true")));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("no manifest.json in the work dir");
    }

    @Test
    void manifestCheckCanBeLeftOutWhenTheManifestComesFromElsewhere() throws Exception {
        Run r = run(BuildScript.of(List.of(), List.of()).requireManifest(false));
        assertThat(r.exit()).as(r.err()).isZero();
    }

    /** A fake tool that appends its name, arguments and DEBIAN_FRONTEND to $LOG. */
    private Path fakeBin(String... tools) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : tools) {
            Path f = bin.resolve(tool);
            Files.writeString(f, "#!/bin/sh\necho \"" + tool + " $* [${DEBIAN_FRONTEND:-}]\" >> \"$LOG\"\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin;
    }

    private List<String> fakeLog() throws IOException {
        return Files.readAllLines(dir.resolve("tool.log"), StandardCharsets.UTF_8);
    }

    @Test
    void aptGetInstallsWithoutRecommendsAndCleansUp() throws Exception {
        // PATH holds only fakes (rm too), so nothing on the host is touched.
        Path bin = fakeBin("apt-get", "rm", "dpkg");
        Path query = bin.resolve("dpkg-query");
        Files.writeString(query, "#!/bin/sh\nprintf 2.6.1\n");
        Files.setPosixFilePermissions(query, PosixFilePermissions.fromString("rwxr-xr-x"));
        Run r = run(BuildScript.of(List.of("hello", "ca-certificates"), List.of()).requireManifest(false),
                Map.of("PATH", bin.toString(), "LOG", dir.resolve("tool.log").toString()));
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> log = fakeLog();
        assertThat(log.get(0)).startsWith("dpkg --compare-versions 2.6.1 ge 2.1.16");
        assertThat(log.get(1)).isEqualTo("apt-get update --error-on=any []");
        assertThat(log.get(2)).isEqualTo(
                "apt-get install -y --no-install-recommends hello ca-certificates [noninteractive]");
        assertThat(log.get(3)).isEqualTo("apt-get clean []");
        assertThat(log.get(4)).startsWith("rm -rf /var/lib/apt/lists/");
        assertThat(r.out()).contains("installing with apt-get: hello ca-certificates");
    }

    @Test
    void oldAptIsUpdatedWithoutTheUnknownOption() throws Exception {
        Path bin = fakeBin("apt-get", "rm"); // no dpkg-query: version unknown
        Run r = run(BuildScript.of(List.of("hello"), List.of()).requireManifest(false),
                Map.of("PATH", bin.toString(), "LOG", dir.resolve("tool.log").toString()));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(fakeLog()).contains("apt-get update []");
    }

    @Test
    void apkIsUsedWhenThereIsNoAptGet() throws Exception {
        Path bin = fakeBin("apk", "yum");
        Run r = run(BuildScript.of(List.of("curl"), List.of()).requireManifest(false),
                Map.of("PATH", bin.toString(), "LOG", dir.resolve("tool.log").toString()));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(fakeLog()).containsExactly("apk add --no-cache curl []");
    }

    @Test
    void dnfInstallsThenCleans() throws Exception {
        Path bin = fakeBin("dnf", "yum", "pkg");
        Run r = run(BuildScript.of(List.of("curl"), List.of()).requireManifest(false),
                Map.of("PATH", bin.toString(), "LOG", dir.resolve("tool.log").toString()));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(fakeLog()).containsExactly("dnf install -y curl []", "dnf clean all []");
    }

    @Test
    void noPackageManagerStopsBeforeTheStepsNamingThePackages() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("empty-bin"));
        Run r = run(BuildScript.of(List.of("nginx", "curl"), List.of("echo step-ran > ran")),
                Map.of("PATH", bin.toString()));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("cannot install the packages nginx curl: no package manager in the image");
        assertThat(dir.resolve("work/ran")).doesNotExist();
    }

    @Test
    void rejectsPackageNamesThatCouldBeOptionsOrSeveralWords() {
        assertThatThrownBy(() -> BuildScript.of(List.of("-o=evil"), List.of()))
                .isInstanceOf(JetpackException.class).hasMessageContaining("'-o=evil'");
        assertThatThrownBy(() -> BuildScript.of(List.of("a b"), List.of()))
                .isInstanceOf(JetpackException.class).hasMessageContaining("one package per entry");
    }

    @Test
    void rejectsBlankStepsAndNul() {
        assertThatThrownBy(() -> BuildScript.of(List.of(), List.of("true", "  ")))
                .isInstanceOf(JetpackException.class).hasMessageContaining("Build step 2 is empty");
        assertThatThrownBy(() -> BuildScript.of(List.of(), List.of("echo a\0b")))
                .isInstanceOf(JetpackException.class).hasMessageContaining("NUL");
    }

    @Test
    void quoteWrapsInSingleQuotesAndEscapesThem() {
        assertThat(BuildScript.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(BuildScript.quote("")).isEqualTo("''");
    }
}
