package dev.jetpack.cli;

import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.JetpackSettings;
import dev.jetpack.engine.runtime.RuntimeChoice;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.store.ImageStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code jetpack} command: global options and the subcommands, each a thin face over {@link Jetpack}.
 *
 * <p>Global options are inherited by every subcommand, so {@code jetpack --store S images} and
 * {@code jetpack images --store S} mean the same. Jetpack's single-dash long options ({@code -dir=PATH},
 * {@code -saveid FILE}) are accepted next to the {@code --dir} spelling.
 */
@Command(name = "jetpack", mixinStandardHelpOptions = true, versionProvider = JetpackCommand.Version.class,
        description = "Build, fetch and manage appc App Container Images (ACI).",
        subcommands = {
            FetchCommand.class, ImportCommand.class, BuildCommand.class, MakeAciCommand.class,
            RunCommand.class, ImagesCommand.class, ShowImageCommand.class, ImageManifestCommand.class,
            ExportCommand.class, PushCommand.class, DestroyImageCommand.class, PruneStagesCommand.class,
            TrustCommand.class, UntrustCommand.class, ConfigCommand.class,
            CommandLine.HelpCommand.class},
        footerHeading = "%n", footer = JetpackCommand.FOOTER)
public final class JetpackCommand implements Runnable {
    static final String FOOTER = "Exit codes: 0 success, 1 the operation failed, 2 usage error.%n"
            + "Store: --store DIR, else $" + ImageStore.LOCATION_ENVIRONMENT + ", else ~/.jetpack/store.";

    @Spec
    CommandSpec spec;

    @Option(names = "--store", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Image store directory (default: $" + ImageStore.LOCATION_ENVIRONMENT
                    + ", else ~/.jetpack/store).")
    Path store;

    @Option(names = "--runtime", paramLabel = "NAME", scope = ScopeType.INHERIT,
            converter = RuntimeConverter.class,
            description = "Container runtime for builds and runs: auto (default), crun, runc, bwrap, chroot.")
    RuntimeChoice runtime;

    @Option(names = "--compression", paramLabel = "NAME", scope = ScopeType.INHERIT,
            converter = CompressionConverter.class,
            description = "Compression of the ACIs written: gzip (default), xz (smaller, slower), bzip2, none.")
    Compression compression;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Log debug messages and show stack traces of errors.")
    boolean debug;

    private Terminal terminal;
    private Jetpack jetpack;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: give one of "
                + String.join(", ", spec.subcommands().keySet()) + ".");
    }

    /** The terminal of this invocation (debug setting applied). */
    Terminal terminal() {
        if (terminal == null) {
            terminal = Terminal.system(debug);
        }
        return terminal;
    }

    /** The engine facade with the settings from the command line. */
    Jetpack jetpack() {
        if (jetpack == null) {
            jetpack = new Jetpack(settings(), terminal(), terminal());
        }
        return jetpack;
    }

    JetpackSettings settings() {
        JetpackSettings.Builder settings = JetpackSettings.builder();
        if (store != null) {
            settings.storeLocation(store);
        }
        if (runtime != null) {
            settings.runtime(runtime);
        }
        if (compression != null) {
            settings.compression(compression);
        }
        return settings.build();
    }

    /** Runs {@code jetpack args...} and returns the exit code (see {@link ExitCode}). */
    public static int execute(String... args) {
        JetpackCommand root = new JetpackCommand();
        CommandLine commandLine = new CommandLine(root);
        // BASE-IMAGE COMMAND ARGS...: everything after the base image belongs to the build command, even "-c".
        commandLine.getSubcommands().get("build").setStopAtPositional(true);
        commandLine.setParameterExceptionHandler(JetpackCommand::usageError);
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> failure(root, exception));
        return commandLine.execute(args);
    }

    private static int usageError(CommandLine.ParameterException exception, String[] args) {
        CommandLine failed = exception.getCommandLine();
        PrintWriter err = failed.getErr();
        err.println("jetpack: " + exception.getMessage());
        err.println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCode.USAGE;
    }

    private static int failure(JetpackCommand root, Exception exception) {
        Terminal terminal = root.terminal();
        if (exception instanceof CommandLine.ParameterException usage) {
            return usageError(usage, new String[0]);
        }
        if (exception instanceof JetpackException) {
            terminal.error(exception.getMessage() + TrustHints.forFailure(exception));
        } else {
            // Not an engine error: a bug or an environment problem the engine did not anticipate.
            terminal.error("unexpected " + exception + (root.debug ? "" : " (run with --debug for details)"));
        }
        if (root.debug) {
            exception.printStackTrace(System.err);
        }
        return ExitCode.FAILED;
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * A flag's value parsed by the engine's own parser; what the engine refuses is a usage error (exit 2), with
     * the engine's message, rather than a failed operation.
     */
    abstract static class EngineValueConverter<T> implements CommandLine.ITypeConverter<T> {
        private final Function<String, T> parser;

        EngineValueConverter(Function<String, T> parser) {
            this.parser = parser;
        }

        @Override
        public T convert(String value) {
            try {
                return parser.apply(value);
            } catch (JetpackException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class CompressionConverter extends EngineValueConverter<Compression> {
        CompressionConverter() {
            super(Compression::parse);
        }
    }

    static final class RuntimeConverter extends EngineValueConverter<RuntimeChoice> {
        RuntimeConverter() {
            super(RuntimeChoice::parse);
        }
    }

    /** The version from the jar's manifest (set by the build), or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = JetpackCommand.class.getPackage().getImplementationVersion();
            return new String[] {"jetpack " + (version == null ? "(development build)" : version)};
        }
    }
}
