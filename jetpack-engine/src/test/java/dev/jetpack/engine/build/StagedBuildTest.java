package dev.jetpack.engine.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.build.stage.CachedStage;
import dev.jetpack.engine.build.stage.StageCache;
import dev.jetpack.engine.io.Mounts;
import dev.jetpack.engine.store.StoredImage;
import dev.jetpack.engine.testing.ChildJvm;
import dev.jetpack.engine.testing.RecordingLog;
import dev.jetpack.engine.testing.TreeSnapshot;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds in stages over the stage cache, end to end with real overlay mounts and a real runtime: the same tree
 * with and without the cache, reuse and its reasons in the log, a build killed in a stage, and builds in
 * parallel threads and JVMs on one cache.
 */
class StagedBuildTest {
    @TempDir
    Path dir;
    StagedBuildFixture fixture;
    RecordingLog log = new RecordingLog();
    Jetpack jetpack;
    StoredImage parent;

    @BeforeEach
    void project() throws Exception {
        fixture = new StagedBuildFixture(dir, dir.resolve("store"));
        jetpack = fixture.jetpack(log);
        parent = fixture.create(jetpack);
    }

    private int mark;

    private List<String> logSinceMark() {
        List<String> messages = log.messages();
        return List.copyOf(messages.subList(mark, messages.size()));
    }

    private ImageBuild build(boolean cache, String output) {
        return jetpack.buildImage(fixture.spec(parent, cache, dir.resolve(output)).build());
    }

    @Test
    void withAndWithoutTheCacheTheTreeIsTheSameAndWhiteoutsHideTheParentThroughCachedLayers() throws Exception {
        ImageBuild plain = build(false, "plain.aci");
        ImageBuild cold = build(true, "cold.aci");
        mark = log.messages().size();
        ImageBuild warm = build(true, "warm.aci");

        Path rootfs = warm.stored().orElseThrow().rootfs();
        assertThat(rootfs.resolve("etc/motd")).doesNotExist();
        assertThat(rootfs.resolve("data/a")).doesNotExist();
        assertThat(rootfs.resolve("srv/all")).hasContent("new\ncopied one");
        assertThat(rootfs.resolve(".jetpack.build.")).doesNotExist();
        assertThat(TreeSnapshot.of(cold.stored().orElseThrow().rootfs()))
                .isEqualTo(TreeSnapshot.of(plain.stored().orElseThrow().rootfs()));
        assertThat(TreeSnapshot.of(rootfs)).isEqualTo(TreeSnapshot.of(plain.stored().orElseThrow().rootfs()));
        assertThat(cold.id()).as("same ACI bytes with a fixed timestamp").isEqualTo(plain.id());
        assertThat(warm.id()).isEqualTo(plain.id());

        assertThat(logSinceMark()).contains("INFO Reusing stage 1 of 3 (step 1: " + StagedBuildFixture.STEPS.get(0)
                + ") from the stage cache", "INFO Reusing stage 3 of 3 (step 3: " + StagedBuildFixture.STEPS.get(2)
                + ") from the stage cache");
        assertThat(logSinceMark()).as("nothing ran").noneMatch(m -> m.startsWith("INFO Running"));
        try (Stream<Path> containers = Files.list(fixture.store.resolve(ImageBuildService.CONTAINERS))) {
            assertThat(containers).isEmpty();
        }
        assertThat(Mounts.mountPointsUnder(fixture.store)).isEmpty();
    }

    @Test
    void aChangedCopiedFileRunsFromTheStageThatCopiesItButNewTimesAndProxiesDoNot() throws Exception {
        build(true, "first.aci");
        Path copied = dir.resolve("copied.txt");
        Files.setLastModifiedTime(copied, FileTime.from(Instant.now().plusSeconds(60)));
        Files.setLastModifiedTime(dir.resolve("src/main/image/index.html"), FileTime.from(Instant.now()));
        mark = log.messages().size();
        jetpack.buildImage(fixture.spec(parent, true, dir.resolve("touched.aci"))
                .environment(java.util.Map.of("https_proxy", "http://127.0.0.1:9"))
                .build());
        assertThat(logSinceMark()).as("new times and a proxy change nothing").noneMatch(m ->
                m.startsWith("INFO Running from"));

        Files.writeString(copied, "copied two\n");
        mark = log.messages().size();
        ImageBuild changed = build(true, "changed.aci");
        assertThat(logSinceMark()).contains("INFO Running from stage 1 of 3 (step 1: "
                + StagedBuildFixture.STEPS.get(0) + "): not reused because build directory and copied files"
                + " changed since the last build");
        assertThat(changed.stored().orElseThrow().rootfs().resolve("srv/all")).hasContent("new\ncopied two");

        mark = log.messages().size();
        jetpack.buildImage(fixture.spec(parent, true, dir.resolve("var.aci"))
                .environment(java.util.Map.of("FLAVOUR", "mild")).build());
        assertThat(logSinceMark()).contains("INFO Running from stage 1 of 3 (step 1: "
                + StagedBuildFixture.STEPS.get(0) + "): not reused because build variables changed since the"
                + " last build");

        ImageBuildSpec changedStep = fixture.spec(parent, true, dir.resolve("step.aci"))
                .buildScript(BuildScript.of(List.of(), List.of(StagedBuildFixture.STEPS.get(0),
                        StagedBuildFixture.STEPS.get(1), StagedBuildFixture.STEPS.get(2) + " && echo more")))
                .build();
        mark = log.messages().size();
        jetpack.buildImage(changedStep);
        assertThat(logSinceMark()).contains("INFO Reusing stage 2 of 3 (step 2: " + StagedBuildFixture.STEPS.get(1)
                + ") from the stage cache").anyMatch(m -> m.startsWith("INFO Running from stage 3 of 3")
                && m.endsWith("not reused because the step changed since the last build"));
    }

    @Test
    void thePackageInstallIsReusedWhenACopiedFileChangesAndRunsAgainForAnotherPackageList() throws Exception {
        ImageBuild first = jetpack.buildImage(fixture.spec(parent, true, dir.resolve("p1.aci"))
                .buildScript(BuildScript.of(List.of("nginx"), StagedBuildFixture.STEPS)).build());
        assertThat(first.stored().orElseThrow().rootfs().resolve("installed")).hasContent("add --no-cache nginx");

        Files.writeString(dir.resolve("copied.txt"), "copied two\n");
        mark = log.messages().size();
        ImageBuild second = jetpack.buildImage(fixture.spec(parent, true, dir.resolve("p2.aci"))
                .buildScript(BuildScript.of(List.of("nginx"), StagedBuildFixture.STEPS)).build());
        assertThat(logSinceMark()).contains("INFO Reusing stage 1 of 4 (packages nginx) from the stage cache",
                "INFO Running from stage 2 of 4 (step 1: " + StagedBuildFixture.STEPS.get(0) + "): not reused"
                        + " because build directory and copied files changed since the last build");
        assertThat(second.stored().orElseThrow().rootfs().resolve("srv/all")).hasContent("new\ncopied two");

        mark = log.messages().size();
        jetpack.buildImage(fixture.spec(parent, true, dir.resolve("p3.aci"))
                .buildScript(BuildScript.of(List.of("nginx", "curl"), StagedBuildFixture.STEPS)).build());
        assertThat(logSinceMark()).contains("INFO Running from stage 1 of 4 (packages nginx curl): not reused"
                + " because the package list changed since the last build");
    }

    @Test
    void aBuildKilledInAStageLeavesNoStageThatLooksComplete() throws Exception {
        Process child = new ProcessBuilder(ChildJvm.command(StagedBuildFixture.class, fixture.store.toString(),
                dir.toString(), parent.id().value(), dir.resolve("killed.aci").toString(), "slow"))
                .redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
                if (line.equals("OUT STAGE2-RUNNING")) {
                    break;
                }
            }
            assertThat(lines).as("the child reached stage 2").contains("OUT STAGE2-RUNNING");
            List<ProcessHandle> descendants = child.descendants().toList();
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
            descendants.forEach(ProcessHandle::destroyForcibly);
        }
        StageCache cache = StageCache.open(fixture.store.resolve(StageCache.DIRECTORY), log);
        assertThat(cache.list()).extracting(CachedStage::description)
                .containsExactly("step 1: " + StagedBuildFixture.STEPS.get(0));

        mark = log.messages().size();
        ImageBuild after = build(true, "after.aci");
        assertThat(logSinceMark()).contains("INFO Reusing stage 1 of 3 (step 1: " + StagedBuildFixture.STEPS.get(0)
                + ") from the stage cache");
        assertThat(logSinceMark()).anyMatch(m -> m.startsWith("INFO Running from stage 2 of 3"));
        assertThat(after.stored().orElseThrow().rootfs().resolve("srv/all")).hasContent("new\ncopied one");
        assertThat(cache.list()).hasSize(3);
        assertThat(Mounts.mountPointsUnder(fixture.store)).as("the killed build's mount was cleaned").isEmpty();
        try (Stream<Path> entries = Files.list(cache.directory())) {
            assertThat(entries.map(p -> p.getFileName().toString()))
                    .noneMatch(name -> name.startsWith(".tmp-") || name.startsWith(".gone-"));
        }
    }

    @Test
    void buildsInTwoJvmsAndTwoThreadsShareTheCache() throws Exception {
        List<Process> children = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            children.add(new ProcessBuilder(ChildJvm.command(StagedBuildFixture.class, fixture.store.toString(),
                    dir.toString(), parent.id().value(), dir.resolve("jvm" + i + ".aci").toString()))
                    .redirectErrorStream(true).start());
        }
        List<CompletableFuture<ImageBuild>> threads = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            String output = "thread" + i + ".aci";
            threads.add(CompletableFuture.supplyAsync(() -> build(true, output)));
        }
        List<String> ids = new ArrayList<>();
        for (Process child : children) {
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as(output).isZero();
            ids.add(output.lines().filter(l -> l.startsWith("DONE ")).findFirst().orElseThrow().substring(5));
        }
        for (CompletableFuture<ImageBuild> thread : threads) {
            ids.add(thread.get(120, TimeUnit.SECONDS).id().value());
        }
        assertThat(ids).as("four builds, one image").hasSize(4).containsOnly(ids.get(0));
        StageCache cache = StageCache.open(fixture.store.resolve(StageCache.DIRECTORY), log);
        assertThat(cache.list()).as("one copy of each stage").hasSize(3);
        try (Stream<Path> entries = Files.list(cache.directory())) {
            assertThat(entries.map(p -> p.getFileName().toString()))
                    .noneMatch(name -> name.startsWith(".tmp-") || name.startsWith(".gone-"));
        }
        assertThat(Mounts.mountPointsUnder(fixture.store)).isEmpty();
    }
}
