package dev.jetpack.cli;

import dev.jetpack.engine.build.stage.StageCache;
import dev.jetpack.engine.build.stage.StageCacheOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jetpack prune-stages}: shrinks the stage cache, least recently used stages first. */
@Command(name = "prune-stages", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Remove cached build stages, least recently used first, until the rest fit in --max-size"
                + " (default 0: remove them all). Waits while builds use the cache.",
            "Prints: removed N stage(s), B bytes; kept M stage(s), K bytes."},
        footerHeading = "%n", footer = JetpackCommand.FOOTER)
final class PruneStagesCommand extends JetpackSubcommand {
    @Option(names = "--max-size", paramLabel = "SIZE", defaultValue = "0", description = "Keep at most SIZE"
            + " bytes of stages: a number, optionally with K, M, G or T (powers of 1024), e.g. 5G.")
    String maxSize;

    @Override
    public Integer call() {
        long bound = StageCacheOptions.parseSize(maxSize, "--max-size");
        StageCache.PruneResult result = jetpack().pruneStages(bound);
        terminal().result("removed " + result.removed() + " stage(s), " + result.removedBytes() + " bytes; kept "
                + result.kept() + " stage(s), " + result.keptBytes() + " bytes");
        return ExitCode.OK;
    }
}
