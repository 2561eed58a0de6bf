package dev.jetpack.engine.build;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.build.stage.CachedStage;
import dev.jetpack.engine.build.stage.StageCache;
import dev.jetpack.engine.build.stage.StageKey;
import dev.jetpack.engine.io.AtomicFiles;
import dev.jetpack.engine.runtime.RunResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A build in stages over the stage cache: the longest run of stages whose keys are cached is stacked as
 * overlay lower layers (no copy), and the build runs from the first stage whose key changed; each stage it runs
 * goes into the cache as the upper directory its container left. The log names the stages reused and why the
 * first one that runs was not.
 *
 * <p>Every stage's container holds the same work directory ({@link WorkDirectory#stageName}): the first step
 * copies the build inputs there and each later stage finds what the ones before left, as the steps of one
 * script would. What the runtime alone created (mount points) leaves each stage before it is kept.
 */
final class StagedBuild {
    private StagedBuild() {
    }

    /**
     * The cache keys of the stages, in order: each follows the previous one (the first the parent image) and
     * records the stage's script or command, its build arguments, the build variables without the proxies, and
     * for the stage that copies them, the build directory and the copied files by content.
     */
    static List<StageKey> keys(List<BuildStage> stages, String parentId, Map<String, String> environment,
                               Map<String, Path> inputs) throws IOException {
        List<StageKey> keys = new ArrayList<>();
        StageKey previous = null;
        for (BuildStage stage : stages) {
            StageKey.Builder key = previous == null ? StageKey.first(parentId) : StageKey.after(previous);
            // Named for the log: "the step changed since the last build".
            switch (stage.kind()) {
                case PACKAGES -> key.value("the package list", stage.script().orElseThrow());
                case STEP -> key.value("the step", stage.script().orElseThrow());
                case COMMAND -> key.values("the command", stage.command());
            }
            key.values("build arguments", stage.arguments()).variables("build variables", environment);
            if (stage.copiesInputs()) {
                key.trees("build directory and copied files", inputs);
            }
            previous = key.build();
            keys.add(previous);
        }
        return keys;
    }

    /**
     * Reuses or runs every stage.
     *
     * @return the layers the last stage leaves, top first, ending with the parent's rootfs
     */
    static List<Path> run(BuildRequest request, List<BuildStage> stages, Map<String, Path> inputs,
                          StageCache.Session cache, String workName) throws IOException {
        EngineLog log = request.log();
        Path parentRootfs = request.parentRootfs().toAbsolutePath();
        List<StageKey> keys = keys(stages, request.parentId().value(), request.environment(), inputs);
        List<Path> layers = new ArrayList<>(List.of(parentRootfs));
        boolean reusing = true;
        for (int i = 0; i < stages.size(); i++) {
            BuildStage stage = stages.get(i);
            StageKey key = keys.get(i);
            String name = "stage " + (i + 1) + " of " + stages.size() + " (" + stage.description() + ")";
            if (reusing) {
                var cached = cache.lookup(key);
                if (cached.isPresent()) {
                    layers.add(0, cached.get().upper());
                    log.info("Reusing " + name + " from the stage cache");
                    continue;
                }
                reusing = false;
                log.info("Running from " + name + ": not reused because " + cache.explainMiss(key));
            }
            layers.add(0, runStage(request, stage, name, key, layers, inputs, cache, workName));
        }
        return layers;
    }

    private static Path runStage(BuildRequest request, BuildStage stage, String name, StageKey key,
                                 List<Path> layers, Map<String, Path> inputs, StageCache.Session cache,
                                 String workName) throws IOException {
        try (BuildContainer container = BuildContainer.createStacked(layers, request.containersDir())) {
            Path root = container.root();
            WorkDirectory work = WorkDirectory.openForStage(root, workName);
            if (stage.copiesInputs()) {
                work.copy(inputs);
            }
            if (stage.script().isPresent()) {
                AtomicFiles.write(work.hostPath().resolve(BuildScript.FILE_NAME),
                        stage.script().get().getBytes(StandardCharsets.UTF_8));
            }
            request.log().info("Running " + name);
            RunResult run = ImageBuilder.runCommand(request, stage.command(), root, work);
            ImageBuilder.removeRuntimeLeftovers(root, request.parentRootfs().toAbsolutePath(), run, request.log());
            CachedStage cached = cache.add(key, stage.description(), container.unmountAndTakeUpper());
            return cached.upper();
        }
    }
}
