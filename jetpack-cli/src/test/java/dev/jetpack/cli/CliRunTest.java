package dev.jetpack.cli;

import dev.jetpack.engine.io.HostCommand;
import dev.jetpack.engine.runtime.ContainerRuntime;
import dev.jetpack.engine.runtime.Runtimes;
import dev.jetpack.engine.testing.AppImages;
import dev.jetpack.engine.testing.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * {@code jetpack run} as a user runs it, of an image like Jetpack's {@code example.showenv} (busybox), with
 * every runtime that works here.
 */
class CliRunTest {
    @TempDir
    static Path shared;
    static Path showenvAsApp;
    static Path showenvAsRoot;
    static Path sleeper;
    static Path badPreStart;
    static Path interruptible;

    @TempDir
    Path temp;

    private Cli cli;
    private Path data;

    @BeforeAll
    static void makeImages() throws IOException {
        AppImages images = new AppImages(shared);
        showenvAsApp = images.showenv("app", "extra", 2000).file();
        showenvAsRoot = images.showenv("root", "root").file();
        sleeper = images.withApp("example.com/sleeper", "{\"exec\": [\"/bin/sh\", \"-c\", \"echo ready; sleep 600\"],"
                + " \"user\": \"0\", \"group\": \"0\", \"eventHandlers\": [{\"name\": \"post-stop\", \"exec\":"
                + " [\"/bin/echo\", \"post-stop ran\"]}]}").file();
        interruptible = images.withApp("example.com/interruptible", "{\"exec\": [\"/bin/sh\", \"-c\", \"trap"
                + " 'echo got INT; exit 7' INT; echo ready; while true; do sleep 1; done\"], \"user\": \"0\","
                + " \"group\": \"0\"}").file();
        badPreStart = images.withApp("example.com/bad-pre-start", "{\"exec\": [\"/bin/echo\", \"app ran\"],"
                + " \"user\": \"0\", \"group\": \"0\", \"eventHandlers\": [{\"name\": \"pre-start\", \"exec\":"
                + " [\"/bin/sh\", \"-c\", \"echo cannot prepare >&2; exit 4\"]}]}").file();
    }

    static List<String> runtimesThatSwitchUsers() {
        return Runtimes.usable().stream().map(ContainerRuntime::name).filter(name -> !name.equals("bwrap")).toList();
    }

    @BeforeEach
    void volume() throws IOException {
        cli = new Cli(temp.resolve("store"), temp);
        data = Files.createDirectories(temp.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.writeString(data.resolve("in.txt"), "from-the-host\n");
    }

    @AfterEach
    void nothingLeft() throws IOException {
        assertThat(runDirectories()).as("run directories left in the store").isEmpty();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(cli.store().toString());
    }

    private List<Path> runDirectories() throws IOException {
        Path runs = cli.store().resolve("runs");
        if (!Files.isDirectory(runs)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(runs)) {
            return entries.filter(path -> !path.getFileName().toString().startsWith(".")).toList();
        }
    }

    @ParameterizedTest
    @MethodSource("runtimesThatSwitchUsers")
    void runsShowenvAsTheImageSays(String runtime) throws IOException {
        Cli.Result result = cli.run("--runtime", runtime, "run", "--volume", "data=" + data, "--volume", "config=" + temp,
                "-e", "OVERRIDDEN=from-the-command-line", showenvAsApp.toString(), "--", "first", "--second");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.lines()).as(result.toString()).containsExactly(
                "pre-start uid=1000 cwd=/work",
                "uid=1000 gid=2000", "groups=2000", "user=app", "app=showenv",
                "path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "greeting=hello",
                "overridden=from-the-command-line", "home=/home/app", "cwd=/work", "args=first --second",
                "input=from-the-host", "scratch=0", "config=read-only",
                "post-stop", "pre-start");
        assertThat(data.resolve("out.txt")).hasContent("written-by-app");
        assertThat(result.stderr()).contains("warning: No volume for the mount point 'scratch' (/scratch)");
    }

    @Test
    void bwrapRunsShowenvAsRootAndRefusesAnotherUser() {
        Cli.Result refused = cli.run("--runtime", "bwrap", "run", "--volume", "data=" + data, showenvAsApp.toString());
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.stderr()).contains("bwrap runs commands as root only").contains("uid 1000, gid 2000");
        assertThat(refused.lines()).as("nothing ran").isEmpty();

        Cli.Result result = cli.run("--runtime", "bwrap", "run", "--volume", "data=" + data, showenvAsRoot.toString(),
                "--", "a");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.lines()).contains("pre-start uid=0 cwd=/work", "uid=0 gid=0", "cwd=/work", "args=a",
                "input=from-the-host", "config=read-only", "post-stop");
    }

    @Test
    void aFailingPreStartIsAClearErrorAndLeavesNothing() {
        Cli.Result result = cli.run("--runtime", "chroot", "run", badPreStart.toString());
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stderr()).contains("cannot prepare")
                .contains("jetpack: error: The pre-start handler [/bin/sh, -c, echo cannot prepare >&2; exit 4]")
                .contains("exited with 4, so the app was not started");
        assertThat(result.lines()).doesNotContain("app ran");
    }

    @ParameterizedTest
    @MethodSource("oneOfEachKind")
    void sigtermToJetpackGoesToTheAppWhoseSignalExitCodeIsJetpacks(String runtime) throws Exception {
        Started run = Started.run(temp, cli.store(), runtime, sleeper);
        run.waitForLine("ready");
        run.process.destroy(); // SIGTERM
        assertThat(run.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(run.process.exitValue()).as(run.toString()).isEqualTo(143);
        assertThat(run.stdout()).contains("post-stop ran");
        assertThat(run.stderr()).contains("exited with 143 (killed by SIGTERM)");
    }

    @Test
    void ctrlCAtATerminalReachesOnlyJetpackWhichPassesItOn() throws Exception {
        // A terminal's Ctrl-C signals the whole foreground process group: jetpack and, unless they have a
        // session of their own, the runtime processes it started (bwrap's outer process would die of it).
        Started run = Started.run(temp, cli.store(), "bwrap", interruptible, List.of("setsid"));
        run.waitForLine("ready");
        assertThat(HostCommand.run(List.of("kill", "-INT", "--", "-" + run.process.pid())).succeeded()).isTrue();
        assertThat(run.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(run.process.exitValue()).as("the app's own exit on SIGINT: " + run).isEqualTo(7);
        assertThat(run.stdout()).contains("got INT");
    }

    /* One whose app is pid 1 (the signal is turned into a kill), one whose app is a helper init's child; the
       engine's AppRunTest covers all four. */
    static List<String> oneOfEachKind() {
        return List.of("runc", "chroot");
    }

    @Test
    void whatAKilledRunLeavesTheNextRunRemoves() throws Exception {
        Started run = Started.run(temp, cli.store(), "runc", sleeper);
        run.waitForLine("ready");
        run.process.destroyForcibly().waitFor(); // kill -9: no shutdown hook runs
        long pid = run.process.pid();
        assertThat(runDirectories()).as("the killed run's overlay directory").hasSize(1);
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).contains(cli.store().resolve("runs").toString());
        assertThat(runcContainersOf(pid)).as("the killed run's container still runs").hasSize(1);

        Cli.Result next = cli.run("--runtime", "chroot", "run", "--volume", "data=" + data, showenvAsRoot.toString());
        assertThat(next.exitCode()).as(next.toString()).isZero();
        assertThat(next.stderr()).contains("Removed the stale runc container jetpack-" + pid + "-")
                .contains("Removed the stale app container " + cli.store().resolve("runs"));
        assertThat(runcContainersOf(pid)).isEmpty();
        // nothingLeft() checks the run directory and the mounts
    }

    private static List<String> runcContainersOf(long pid) {
        HostCommand.Result list = HostCommand.run(List.of("runc", "list", "-q"));
        assertThat(list.succeeded()).as(list.describe()).isTrue();
        return list.output().lines().filter(id -> id.startsWith("jetpack-" + pid + "-")).toList();
    }

    /** A {@code jetpack run} in the background, for the tests that signal or kill it. */
    private record Started(Process process, Path out, Path err) {
        static Started run(Path workDir, Path store, String runtime, Path image) throws IOException {
            return run(workDir, store, runtime, image, List.of());
        }

        /** With {@code wrapper} before the JVM's command line (e.g. setsid: the JVM leads a process group). */
        static Started run(Path workDir, Path store, String runtime, Path image, List<String> wrapper)
                throws IOException {
            Path out = Files.createTempFile(workDir, "stdout", ".txt");
            Path err = Files.createTempFile(workDir, "stderr", ".txt");
            List<String> command = new ArrayList<>(wrapper);
            command.addAll(ChildJvm.command(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
                    JetpackCommand.class, List.of("--store", store.toString(), "--runtime", runtime, "run",
                            image.toString())));
            Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            return new Started(process, out, err);
        }

        void waitForLine(String line) {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                while (!linesSoFar().contains(line)) {
                    assertThat(process.isAlive()).as("jetpack run is still running: " + this).isTrue();
                    Thread.sleep(50);
                }
            }, () -> "no '" + line + "' from " + this);
        }

        List<String> stdout() throws IOException {
            return Files.readAllLines(out);
        }

        /** Lines so far; empty while the file cannot be read. */
        private List<String> linesSoFar() {
            try {
                return stdout();
            } catch (IOException e) {
                return List.of();
            }
        }

        String stderr() throws IOException {
            return Files.readString(err);
        }

        @Override
        public String toString() {
            try {
                return "stdout: " + stdout() + "\nstderr: " + stderr();
            } catch (IOException e) {
                return e.toString();
            }
        }
    }
}
