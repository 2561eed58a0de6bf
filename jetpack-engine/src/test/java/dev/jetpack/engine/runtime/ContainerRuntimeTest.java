package dev.jetpack.engine.runtime;

import dev.jetpack.engine.base.HostRootfs;
import dev.jetpack.engine.io.HostCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Every runtime that works on this host runs real containers in a rootfs made of the host's binaries. */
class ContainerRuntimeTest {
    @TempDir
    static Path shared;
    static Path rootfs;
    static Path hostResolvConf;

    private List<Path> mountsBefore;

    @BeforeAll
    static void buildRootfs() throws IOException {
        rootfs = shared.resolve("rootfs");
        HostRootfs.create(rootfs, HostRootfs.DEFAULT_COMMANDS);
        hostResolvConf = shared.resolve("host-resolv.conf");
        Files.writeString(hostResolvConf, "nameserver 127.0.0.1 # from the host\n");
    }

    static List<ContainerRuntime> runtimes() {
        List<ContainerRuntime> usable = Runtimes.usable();
        assertThat(usable).as("at least the util-linux fallback works on a root Linux host").isNotEmpty();
        return usable;
    }

    @BeforeEach
    void recordMounts() throws IOException {
        mountsBefore = RuntimeFixture.mounts(shared);
    }

    @AfterEach
    void nothingLeftBehind() throws IOException {
        assertThat(RuntimeFixture.mounts(shared)).as("mount table after the test").isEqualTo(mountsBefore);
        for (String point : List.of("proc", "dev", "sys", "etc/resolv.conf")) {
            assertThat(rootfs.resolve(point)).as("mount point created for the run").doesNotExist();
        }
        assertThat(RuntimeFixture.descendants()).as("processes left running").isEmpty();
    }

    private static RunResult run(ContainerRuntime runtime, ContainerSpec spec, OutputSink sink) {
        return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> runtime.run(spec, sink));
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void returnsTheExitCodeAndTheLastLines(ContainerRuntime runtime) {
        RuntimeFixture.Capture capture = new RuntimeFixture.Capture();
        RunResult result = run(runtime, ContainerSpec.shell(rootfs,
                "i=0; while [ $i -lt 25 ]; do echo line$i; i=$((i+1)); done; echo oops >&2; exit 7").build(), capture);
        assertThat(result.exitCode()).isEqualTo(7);
        assertThat(result.succeeded()).isFalse();
        // stdout and stderr are separate pipes: "oops" may arrive before or after the last stdout lines.
        assertThat(result.lastLines()).hasSize(RunResult.TAIL_LINES).contains("line24").doesNotContain("line0");
        assertThat(run(runtime, ContainerSpec.shell(rootfs, "echo to-stderr >&2; exit 1").build(), capture)
                .lastLines()).containsExactly("to-stderr");
        assertThat(run(runtime, ContainerSpec.builder(rootfs, List.of("true")).build(), capture).exitCode()).isZero();
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void streamsOutputLiveLineByLine(ContainerRuntime runtime) {
        // The command waits for a file that the sink creates only when it has seen "ready": if output were
        // buffered until the command ends, this run would never finish.
        Path go = rootfs.resolve("tmp/go-" + runtime.name());
        RuntimeFixture.Capture capture = new RuntimeFixture.Capture();
        OutputSink sink = (stream, line) -> {
            capture.line(stream, line);
            if (line.equals("ready")) {
                try {
                    Files.writeString(go, "go");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        RunResult result = run(runtime, ContainerSpec.shell(rootfs, "echo one; echo two >&2; echo ready;"
                + " while [ ! -e /tmp/go-" + runtime.name() + " ]; do sleep 0.01; done; echo after; echo late >&2")
                .build(), sink);
        assertThat(result.exitCode()).isZero();
        assertThat(capture.stdout).containsExactly("one", "ready", "after");
        assertThat(capture.stderr).containsExactly("two", "late");
        assertThat(capture.all.indexOf("STDOUT:ready")).isLessThan(capture.all.indexOf("STDOUT:after"));
        assertThat(capture.all.indexOf("STDERR:two")).isLessThan(capture.all.indexOf("STDERR:late"));
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void runsAsRootInTheWorkingDirectoryWithExactlyTheGivenEnvironment(ContainerRuntime runtime) throws IOException {
        Files.createDirectories(rootfs.resolve("tmp/work dir"));
        RuntimeFixture.Capture capture = new RuntimeFixture.Capture();
        RunResult result = run(runtime, ContainerSpec.shell(rootfs,
                        "pwd; id -u; id -g; echo \"$GREETING\"; env | sort | grep -v '^PWD=' | grep -v '^SHLVL=' | grep -v '^_='")
                .workingDirectory("/tmp/work dir").env("GREETING", "hello  world").env("PATH", "/bin").build(), capture);
        assertThat(result.exitCode()).isZero();
        assertThat(capture.stdout).containsExactly("/tmp/work dir", "0", "0", "hello  world",
                "GREETING=hello  world", "HOME=/root", "PATH=/bin");
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void providesProcDevAndSysAndRemovesTheMountPointsItCreated(ContainerRuntime runtime) throws IOException {
        Map<String, String> before = RuntimeFixture.tree(rootfs);
        RuntimeFixture.Capture capture = new RuntimeFixture.Capture();
        RunResult result = run(runtime, ContainerSpec.shell(rootfs, "test -r /proc/self/status && echo proc;"
                + " echo x > /dev/null && head -c 4 /dev/zero | wc -c && test -c /dev/urandom && echo dev;"
                + " test -d /sys/kernel && echo sys; hostname; if echo x > /sys/x 2>/dev/null; then echo sys-writable; fi")
                .build(), capture);
        assertThat(result.exitCode()).as(String.join("\n", result.lastLines())).isZero();
        assertThat(capture.stdout).containsExactly("proc", "4", "dev", "sys", "jetpack");
        assertThat(result.createdPaths()).containsExactly("proc", "dev", "sys");
        assertThat(result.keptPaths()).isEmpty();
        assertThat(RuntimeFixture.tree(rootfs)).isEqualTo(before);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void bindsResolvConfReadOnlyAndLeavesTheImagesOwnFileUnchanged(ContainerRuntime runtime) throws IOException {
        Path own = rootfs.resolve("etc/resolv.conf");
        Files.writeString(own, "# the image's own\n");
        try {
            RuntimeFixture.Capture capture = new RuntimeFixture.Capture();
            RunResult result = run(runtime, ContainerSpec.shell(rootfs,
                    "cat /etc/resolv.conf; if echo x >> /etc/resolv.conf; then echo WRITABLE; fi")
                    .resolvConf(hostResolvConf).build(), capture);
            assertThat(result.exitCode()).isZero();
            assertThat(capture.stdout).containsExactly("nameserver 127.0.0.1 # from the host");
            assertThat(result.createdPaths()).doesNotContain("etc/resolv.conf");
            assertThat(own).hasContent("# the image's own");
        } finally {
            Files.delete(own);
        }
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void createsAMissingResolvConfForTheRunOnlyAndFollowsASymlinkInsideTheRootfs(ContainerRuntime runtime)
            throws IOException {
        RuntimeFixture.Capture capture = new RuntimeFixture.Capture();
        RunResult result = run(runtime, ContainerSpec.shell(rootfs, "cat /etc/resolv.conf")
                .resolvConf(hostResolvConf).build(), capture);
        assertThat(result.exitCode()).isZero();
        assertThat(capture.stdout).containsExactly("nameserver 127.0.0.1 # from the host");
        assertThat(result.createdPaths()).containsExactly("proc", "dev", "sys", "etc/resolv.conf");
        assertThat(rootfs.resolve("etc/resolv.conf")).doesNotExist();

        // A systemd-resolved style absolute symlink: resolved inside the rootfs, never on the host.
        Path link = rootfs.resolve("etc/resolv.conf");
        Files.createSymbolicLink(link, Path.of("/run/resolve/stub-resolv.conf"));
        try {
            capture = new RuntimeFixture.Capture();
            result = run(runtime, ContainerSpec.shell(rootfs, "cat /etc/resolv.conf").resolvConf(hostResolvConf)
                    .build(), capture);
            assertThat(capture.stdout).containsExactly("nameserver 127.0.0.1 # from the host");
            assertThat(result.createdPaths()).containsExactly("proc", "dev", "sys", "run", "run/resolve",
                    "run/resolve/stub-resolv.conf");
            assertThat(rootfs.resolve("run")).doesNotExist();
            assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("/run/resolve/stub-resolv.conf"));
        } finally {
            Files.delete(link);
        }
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void keepsCreatedDirectoriesThatTheCommandFilled(ContainerRuntime runtime) throws IOException {
        Path data = shared.resolve("data-" + runtime.name());
        Files.createDirectories(data);
        Files.writeString(data.resolve("input"), "from the host");
        try {
            RunResult result = run(runtime, ContainerSpec.shell(rootfs, "cat /opt/data/input; echo mine > /opt/file;"
                    + " if touch /opt/data/new 2>/dev/null; then echo WRITABLE; fi")
                    .readOnlyBind(data, "/opt/data").build(), OutputSink.DISCARD);
            assertThat(result.lastLines()).containsExactly("from the host");
            assertThat(result.createdPaths()).containsExactly("proc", "dev", "sys", "opt", "opt/data");
            assertThat(result.keptPaths()).containsExactly("opt");
            assertThat(rootfs.resolve("opt/file")).hasContent("mine");
            assertThat(rootfs.resolve("opt/data")).doesNotExist();
        } finally {
            dev.jetpack.engine.io.FileTrees.deleteRecursively(rootfs.resolve("opt"));
        }
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void refusesAWorkingDirectoryTheImageDoesNotHave(ContainerRuntime runtime) {
        assertThatThrownBy(() -> runtime.run(ContainerSpec.shell(rootfs, "true").workingDirectory("/no/such/dir")
                .build(), OutputSink.DISCARD))
                .isInstanceOf(ContainerException.class)
                .hasMessageContaining("/no/such/dir").hasMessageContaining("does not exist");
        assertThat(rootfs.resolve("no")).doesNotExist();
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void anInterruptedRunKillsTheContainerAndLeavesNothing(ContainerRuntime runtime) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> interruptKept = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                runtime.run(ContainerSpec.shell(rootfs, "echo started; sleep 600 & sleep 600").build(),
                        (stream, line) -> started.countDown());
            } catch (Throwable e) {
                failure.set(e);
                interruptKept.set(Thread.currentThread().isInterrupted());
            }
        });
        thread.start();
        assertThat(started.await(20, TimeUnit.SECONDS)).as("container started").isTrue();
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(20));
        assertThat(thread.isAlive()).as("run returned after the interrupt").isFalse();
        assertThat(failure.get()).isInstanceOf(ContainerException.class).hasMessageContaining("interrupted");
        assertThat(interruptKept.get()).as("interrupt flag kept").isTrue();
        if (runtime instanceof OciRuntime) {
            String containers = HostCommand.run(List.of(runtime.name(), "list", "-q")).output();
            assertThat(containers).doesNotContain(OciRuntime.CONTAINER_ID_PREFIX + ProcessHandle.current().pid() + "-");
        }
        // nothingLeftBehind() checks mounts, mount points and processes
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void canRunWithoutTheHostNetwork(ContainerRuntime runtime) {
        RunResult shared = run(runtime, ContainerSpec.shell(rootfs, "cat /proc/net/dev | wc -l").build(),
                OutputSink.DISCARD);
        RunResult isolated = run(runtime, ContainerSpec.shell(rootfs, "cat /proc/net/dev | wc -l")
                .hostNetwork(false).build(), OutputSink.DISCARD);
        // /proc/net/dev: two header lines and one line per interface; a fresh namespace has only lo.
        assertThat(isolated.lastLines()).containsExactly("3");
        assertThat(Integer.parseInt(shared.lastLines().get(0))).isGreaterThanOrEqualTo(3);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void missingCommandIsANonZeroExitNotACrash(ContainerRuntime runtime) {
        RunResult result = run(runtime, ContainerSpec.builder(rootfs, List.of("/bin/no-such-command")).build(),
                OutputSink.DISCARD);
        assertThat(result.exitCode()).isNotZero();
        assertThat(rootfs.resolve("bin/no-such-command")).satisfies(p -> assertThat(Files.exists(p,
                LinkOption.NOFOLLOW_LINKS)).isFalse());
    }
}
