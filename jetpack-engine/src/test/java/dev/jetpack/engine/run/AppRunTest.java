package dev.jetpack.engine.run;

import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.JetpackSettings;
import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.runtime.ContainerRuntime;
import dev.jetpack.engine.runtime.ProcessSignal;
import dev.jetpack.engine.runtime.RuntimeChoice;
import dev.jetpack.engine.runtime.Runtimes;
import dev.jetpack.engine.store.ImportOptions;
import dev.jetpack.engine.store.StoredImage;
import dev.jetpack.engine.testing.AppImages;
import dev.jetpack.engine.testing.RecordingLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
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
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** {@code Jetpack.start}/{@code run} of real images with every runtime that works here, over a real overlay. */
class AppRunTest {
    @TempDir
    static Path shared;
    static Path store;
    static AppImages images;
    static StoredImage asRoot;
    static StoredImage asApp;
    static StoredImage sleeper;
    static StoredImage trapper;
    static StoredImage isolated;

    @TempDir
    Path temp;

    private final RecordingLog log = new RecordingLog();
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void storeTheImages() throws IOException {
        store = shared.resolve("store");
        images = new AppImages(shared);
        asRoot = importImage(images.showenv("root", "root"));
        asApp = importImage(images.showenv("app", "extra", 2000, 1000));
        sleeper = importImage(images.withApp("example.com/sleeper", "{\"exec\": [\"/bin/sh\", \"-c\","
                + " \"echo ready; sleep 600\"], \"user\": \"0\", \"group\": \"0\"}"));
        trapper = importImage(images.withApp("example.com/trapper", "{\"exec\": [\"/bin/sh\", \"-c\","
                + " \"trap 'echo got TERM; exit 7' TERM; echo ready; while true; do sleep 1; done\"], \"user\": \"0\","
                + " \"group\": \"0\"}"));
        isolated = importImage(images.withApp("example.com/isolated", "{\"exec\": [\"/bin/sh\", \"-c\","
                + " \"grep -E '^(CapPrm|CapEff|NoNewPrivs)' /proc/self/status\"], \"user\": \"0\", \"group\": \"0\","
                + " \"isolators\": [{\"name\": \"os/linux/capabilities-retain-set\", \"value\": {\"set\":"
                + " [\"CAP_NET_BIND_SERVICE\", \"CAP_SYS_CHROOT\"]}}, {\"name\": \"os/linux/no-new-privileges\","
                + " \"value\": true}]}"));
    }

    static StoredImage importImage(dev.jetpack.engine.testing.TestImages.Aci aci) {
        return jetpack(new RecordingLog()).store().importAci(aci.file(), ImportOptions.defaults());
    }

    static Jetpack jetpack(RecordingLog log) {
        return new Jetpack(JetpackSettings.builder().storeLocation(store).build(), log, ProgressListener.NONE);
    }

    static List<RuntimeChoice> runtimes() {
        return Runtimes.usable().stream().map(ContainerRuntime::name).map(RuntimeChoice::parse).toList();
    }

    static List<RuntimeChoice> runtimesThatSwitchUsers() {
        return runtimes().stream().filter(choice -> choice != RuntimeChoice.BWRAP).toList();
    }

    @AfterEach
    void nothingLeft() throws IOException {
        Path runs = store.resolve(AppRunner.RUNS);
        if (Files.isDirectory(runs)) {
            try (Stream<Path> left = Files.list(runs)) {
                assertThat(left.filter(path -> !path.getFileName().toString().startsWith(".")))
                        .as("run directories left").isEmpty();
            }
        }
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(store.toString());
        assertThat(asRoot.rootfs().resolve("proc")).as("the store's rootfs is never written").doesNotExist();
    }

    private AppRunSpec.Builder spec(StoredImage image, RuntimeChoice runtime) {
        return AppRunSpec.builder(image).runtime(runtime).output((stream, line) -> output.add(line));
    }

    private Path dataVolume() throws IOException {
        Path data = Files.createDirectories(temp.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.writeString(data.resolve("in.txt"), "from-the-host\n");
        return data;
    }

    private int run(AppRunSpec spec) {
        return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> jetpack(log).run(spec));
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void runsTheAppWithItsEnvironmentDirectoryArgumentsVolumesAndHandlers(RuntimeChoice runtime) throws IOException {
        Path data = dataVolume();
        Path config = Files.createDirectories(temp.resolve("config"));
        int exitCode = run(spec(asRoot, runtime).volume("data", data).volume("config", config)
                .env("OVERRIDDEN", "by-the-user").env("EXIT_CODE", "3").arguments(List.of("one", "two words"))
                .build());

        assertThat(exitCode).as("the app's exit code").isEqualTo(3);
        assertThat(output).contains("uid=0 gid=0", "app=showenv", "path=" + dev.jetpack.engine.runtime.ContainerSpec.DEFAULT_PATH,
                "greeting=hello", "overridden=by-the-user", "home=/root", "cwd=/work", "args=one two words",
                "input=from-the-host", "scratch=0", "config=read-only");
        assertThat(output.get(0)).isEqualTo("pre-start uid=0 cwd=/work");
        assertThat(output.subList(output.size() - 2, output.size())).containsExactly("post-stop", "pre-start");
        assertThat(data.resolve("out.txt")).hasContent("written-by-app");
        assertThat(config).isEmptyDirectory();
        assertThat(log.messages()).anyMatch(m -> m.contains("No volume for the mount point 'scratch'"));
    }

    @ParameterizedTest
    @MethodSource("runtimesThatSwitchUsers")
    void runsAsTheUserAndGroupsTheImageNames(RuntimeChoice runtime) throws IOException {
        int exitCode = run(spec(asApp, runtime).volume("data", dataVolume()).name("as-app").build());

        assertThat(exitCode).isZero();
        assertThat(output).contains("pre-start uid=1000 cwd=/work", "uid=1000 gid=2000", "groups=2000 1000",
                "user=app", "home=/home/app", "app=as-app", "input=from-the-host");
        assertThat(temp.resolve("data/out.txt")).hasContent("written-by-app");
        assertThat(((Number) Files.getAttribute(temp.resolve("data/out.txt"), "unix:uid")).intValue())
                .as("owner of the file the app wrote on the host").isEqualTo(1000);
    }

    @Test
    void resolvesUsersByNumberAndByThePathTheyOwn() throws IOException {
        StoredImage image = importImage(images.showenv("/work", "1234"));
        assertThat(run(spec(image, RuntimeChoice.CHROOT).volume("data", dataVolume()).build())).isZero();
        assertThat(output).contains("uid=1000 gid=1234");
    }

    @Test
    void bwrapRefusesAnyUserButRootBeforeStartingAnything() throws IOException {
        StoredImage image = importImage(images.showenv("app", "app"));
        assertThatThrownBy(() -> jetpack(log).start(spec(image, RuntimeChoice.BWRAP).build()))
                .isInstanceOf(RunException.class)
                .hasMessageContaining("bwrap runs commands as root only")
                .hasMessageContaining("uid 1000, gid 1000")
                .hasMessageContaining("Choose another runtime (runc or crun)");
        assertThat(output).as("pre-start did not run").isEmpty();
    }

    @Test
    void aFailingPreStartStopsTheRunAndLeavesNothing() throws IOException {
        StoredImage image = importImage(images.withApp("example.com/bad-pre-start", "{\"exec\": [\"/bin/echo\","
                + " \"app ran\"], \"user\": \"0\", \"group\": \"0\", \"eventHandlers\": [{\"name\": \"pre-start\","
                + " \"exec\": [\"/bin/sh\", \"-c\", \"echo cannot prepare; exit 4\"]}]}"));
        assertThatThrownBy(() -> jetpack(log).start(spec(image, RuntimeChoice.CHROOT).build()))
                .isInstanceOfSatisfying(EventHandlerFailedException.class, e -> {
                    assertThat(e.handler()).isEqualTo("pre-start");
                    assertThat(e.exitCode()).isEqualTo(4);
                })
                .hasMessageContaining("pre-start handler [/bin/sh, -c, echo cannot prepare; exit 4]")
                .hasMessageContaining("exited with 4, so the app was not started")
                .hasMessageContaining("cannot prepare");
        assertThat(output).containsExactly("cannot prepare");
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void anAppEndedBySigtermReports143AndOneThatCatchesItEndsItsOwnWay(RuntimeChoice runtime) throws IOException {
        try (AppRun app = jetpack(log).start(spec(sleeper, runtime).build())) {
            waitForOutput("ready");
            assertThat(app.isAlive()).isTrue();
            assertThat(app.stop(Duration.ofSeconds(20))).as("exit code after SIGTERM").isEqualTo(143);
            assertThat(app.isAlive()).isFalse();
        }
        output.clear();
        try (AppRun app = jetpack(log).start(spec(trapper, runtime).build())) {
            waitForOutput("ready");
            app.signal(ProcessSignal.TERM);
            assertThat(app.waitFor(Duration.ofSeconds(20))).contains(7);
            assertThat(output).contains("got TERM");
        }
    }

    @Test
    void runsWithoutTheNetworkWhenAsked() throws IOException {
        StoredImage image = importImage(images.withApp("example.com/net", "{\"exec\": [\"/bin/sh\", \"-c\","
                + " \"echo interfaces=$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | sort | tr '\\\\n' ' ')\"],"
                + " \"user\": \"0\", \"group\": \"0\"}"));
        assertThat(run(spec(image, RuntimeChoice.CHROOT).network(RunNetwork.NONE).build())).isZero();
        assertThat(output).containsExactly("interfaces=lo");
        assertThat(RunNetwork.parse("Host")).isEqualTo(RunNetwork.HOST);
        assertThatThrownBy(() -> RunNetwork.parse("bridge")).hasMessageContaining("choose one of host, none");
    }

    @Test
    void anImageWithoutAnAppIsRefused() throws IOException {
        StoredImage image = importImage(images.withApp("example.com/no-app", null));
        assertThatThrownBy(() -> jetpack(log).start(AppRunSpec.builder(image).build()))
                .isInstanceOf(RunException.class)
                .hasMessageContaining("has no app in its manifest, so there is nothing to run");
    }

    @Test
    void aVolumeWithoutAMountPointOrHostPathIsRefused() {
        assertThatThrownBy(() -> jetpack(log).start(spec(asRoot, RuntimeChoice.CHROOT)
                .volume("dta", temp).build()))
                .isInstanceOf(RunException.class)
                .hasMessageContaining("no mount point 'dta'").hasMessageContaining("data, config, scratch");
        assertThatThrownBy(() -> jetpack(log).start(spec(asRoot, RuntimeChoice.CHROOT)
                .volume("data", temp.resolve("missing")).build()))
                .isInstanceOf(RunException.class).hasMessageContaining("does not exist on the host");
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void enforcesCapabilitySetsAndNoNewPrivilegesOrSaysWhyNot(RuntimeChoice runtime) throws IOException {
        assertThat(run(spec(isolated, runtime).build())).isZero();
        // bit 10 is CAP_NET_BIND_SERVICE, bit 18 CAP_SYS_CHROOT (bwrap bounds what a process holds, not its
        // bounding set, so CapBnd is not the same everywhere)
        assertThat(output).contains("CapPrm:\t0000000000040400", "CapEff:\t0000000000040400", "NoNewPrivs:\t1");
    }

    @Test
    void refusesIsolatorsItCannotEnforce() throws IOException {
        StoredImage image = importImage(images.withApp("example.com/seccomp", "{\"exec\": [\"/bin/true\"],"
                + " \"user\": \"0\", \"group\": \"0\", \"isolators\": [{\"name\": \"os/linux/seccomp-remove-set\","
                + " \"value\": {\"set\": [\"@clock\"]}}]}"));
        assertThatThrownBy(() -> jetpack(log).start(AppRunSpec.builder(image).build()))
                .isInstanceOf(RunException.class)
                .hasMessageContaining("'os/linux/seccomp-remove-set', which jetpack run cannot enforce");
        StoredImage limited = importImage(images.withApp("example.com/limited", "{\"exec\": [\"/bin/true\"],"
                + " \"user\": \"0\", \"group\": \"0\", \"isolators\": [{\"name\": \"resource/memory\","
                + " \"value\": {\"limit\": \"64M\"}}]}"));
        assertThatThrownBy(() -> jetpack(log).start(spec(limited, RuntimeChoice.CHROOT).build()))
                .isInstanceOf(RunException.class)
                .hasMessageContaining("chroot puts no cgroup around its container, so it cannot limit memory or CPU");
    }

    @Test
    void limitsMemoryAndCpuInTheContainersCgroup() throws IOException {
        StoredImage image = importImage(images.withApp("example.com/limited-app", "{\"exec\": [\"/bin/sh\", \"-c\","
                + " \"cat /proc/self/cgroup; echo ready; sleep 600\"], \"user\": \"0\", \"group\": \"0\","
                + " \"isolators\": [{\"name\": \"resource/memory\", \"value\": {\"request\": \"32M\", \"limit\": \"64Mi\"}},"
                + " {\"name\": \"resource/cpu\", \"value\": {\"limit\": \"500m\"}}]}"));
        try (AppRun app = jetpack(log).start(spec(image, RuntimeChoice.RUNC).build())) {
            waitForOutput("ready");
            assertThat(Files.readString(cgroupOf("memory").resolve("memory.limit_in_bytes")).strip())
                    .isEqualTo(Long.toString(64L * 1024 * 1024));
            assertThat(Files.readString(cgroupOf("cpu").resolve("cpu.cfs_quota_us")).strip()).isEqualTo("50000");
            app.stop(Duration.ofSeconds(10));
        }
    }

    /* The host directory of the app's cgroup v1 of this controller, from the app's /proc/self/cgroup lines. */
    private Path cgroupOf(String controller) {
        synchronized (output) {
            for (String line : output) {
                String[] fields = line.split(":", 3);
                if (fields.length == 3 && List.of(fields[1].split(",")).contains(controller)) {
                    return Path.of("/sys/fs/cgroup", fields[1], fields[2]);
                }
            }
            throw new AssertionError("no " + controller + " cgroup in " + output);
        }
    }

    private void waitForOutput(String line) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            while (!output.contains(line)) {
                Thread.sleep(20);
            }
        });
    }
}
