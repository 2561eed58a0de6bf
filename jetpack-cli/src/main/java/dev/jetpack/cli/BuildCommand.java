package dev.jetpack.cli;

import dev.jetpack.engine.build.ImageBuild;
import dev.jetpack.engine.build.ImageBuildSpec;
import dev.jetpack.engine.build.stage.StageCacheOptions;
import dev.jetpack.engine.build.OutputForm;
import dev.jetpack.engine.runtime.OutputSink;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jetpack build [-dir=PATH] [-cp=PATH ...] BASE-IMAGE COMMAND ARGS...}: a derivative image. */
@Command(name = "build", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Build a derivative image of BASE-IMAGE by running COMMAND ARGS in a build container, and"
                + " store it; the new image's ID is printed.",
            "Steps: (1) a build container over BASE-IMAGE; (2) a work directory in its root gets the build"
                + " directory's contents; (3) and the -cp files; (4) COMMAND ARGS run as root in the work"
                + " directory (its output goes to stderr); (5) the work directory's manifest.json, merged with the"
                + " parent's defaults, becomes the manifest; (6) the work directory is removed; (7) the result is"
                + " saved as the new image, flat (default) or layered.",
            "The result of (1)-(4) is kept in the stage cache, keyed by the base image, the command, the -e"
                + " variables (proxies excluded) and the build directory and -cp files by content: a later build"
                + " with the same inputs reuses it instead of running the command (--no-stage-cache: always run).",
            "Everything after BASE-IMAGE belongs to the command, options included (-c ...)."},
        footerHeading = "%n", footer = JetpackCommand.FOOTER)
final class BuildCommand extends JetpackSubcommand {
    @Option(names = {"-dir", "--dir"}, paramLabel = "PATH", description = "Build directory (default: the current"
            + " directory); its contents are copied into the work directory.")
    Path dir;

    @Option(names = {"-cp", "--cp"}, paramLabel = "PATH", description = "Extra file or directory to copy into the"
            + " work directory; repeatable.")
    List<Path> copies = new ArrayList<>();

    @Option(names = {"-saveid", "--saveid"}, paramLabel = "FILE", description = "Write the new image's ID to FILE.")
    Path saveId;

    @ArgGroup(exclusive = true)
    Form form;

    /** -flat and -layered exclude each other. */
    static final class Form {
        @Option(names = {"-flat", "--flat"}, description = "Save the whole resulting tree (the default).")
        boolean flat;

        @Option(names = {"-layered", "--layered"}, description = "Save only what the build changed, with the base"
                + " image as a dependency.")
        boolean layered;
    }

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Also keep the new ACI in FILE.")
    Path output;

    @Option(names = {"-e", "--env"}, paramLabel = "NAME=VALUE", description = "Environment variable for the"
            + " command only (e.g. http_proxy); never saved in the image. Repeatable.")
    Map<String, String> environment = new LinkedHashMap<>();

    @Option(names = {"--timestamp", "-timestamp"}, paramLabel = "TIME", converter = Timestamps.Converter.class,
            description = "Reproducible output: every entry's time and the timestamp annotation. RFC 3339 or epoch"
                    + " seconds; default $" + Timestamps.SOURCE_DATE_EPOCH + " if set.")
    Instant timestamp;

    @Option(names = "--no-stage-cache", description = "Run the command even when the stage cache holds its"
            + " result for the same base image, command, variables and build inputs (by content), and keep"
            + " nothing there.")
    boolean noStageCache;

    @Option(names = "--stage-cache-max-size", paramLabel = "SIZE", description = "The stage cache's size bound"
            + " (least recently used stages go after the build): bytes, or with K, M, G, T; default 10G.")
    String stageCacheMaxSize;

    @Parameters(index = "0", paramLabel = "BASE-IMAGE", description = "Stored image to build on: full ID,"
            + " unambiguous ID prefix, or NAME[:VERSION][,LABEL=VALUE...].")
    String baseImage;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND", description = "The build command and its"
            + " arguments.")
    List<String> command;

    @Override
    public Integer call() {
        OutputForm outputForm = form != null && form.layered ? OutputForm.LAYERED : OutputForm.FLAT;
        Path buildDir = dir != null ? dir : Path.of("").toAbsolutePath();
        Optional<Instant> fixed = Timestamps.orSourceDateEpoch(timestamp, terminal());
        Terminal terminal = terminal();
        ImageBuildSpec.Builder spec = ImageBuildSpec.derivative(jetpack().find(baseImage))
                .buildDirectory(buildDir)
                .extraFiles(copies)
                .command(command)
                .environment(environment)
                .outputForm(outputForm)
                .fixedTimestamp(fixed)
                .stageCache(stageCache())
                .commandOutput(commandOutput(terminal));
        if (output != null) {
            spec.output(output);
        }
        if (saveId != null) {
            spec.idFile(saveId);
        }
        ImageBuild built = jetpack().buildImage(spec.build());
        terminal.result(built.id().value());
        return ExitCode.OK;
    }

    private StageCacheOptions stageCache() {
        StageCacheOptions.Builder options = StageCacheOptions.builder().enabled(!noStageCache);
        if (stageCacheMaxSize != null) {
            options.maxBytes(StageCacheOptions.parseSize(stageCacheMaxSize, "--stage-cache-max-size"));
        }
        return options.build();
    }

    /** The command's lines go to stderr, so that stdout keeps only the new ID. */
    private static OutputSink commandOutput(Terminal terminal) {
        return (stream, line) -> terminal.message(line);
    }
}
