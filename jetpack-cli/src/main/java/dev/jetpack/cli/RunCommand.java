package dev.jetpack.cli;

import dev.jetpack.engine.run.AppRunSpec;
import dev.jetpack.engine.run.RunNetwork;
import dev.jetpack.engine.runtime.OutputSink;
import dev.jetpack.engine.store.ImageStore;
import dev.jetpack.engine.store.StoredImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jetpack run [--volume NAME=PATH]... [--env NAME=VALUE]... [--net host|none] IMAGE [-- ARGS...]}. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the app of an image: its exec with ARGS appended, as its manifest says (user and group"
                + " from the image's own /etc/passwd and /etc/group, environment, working directory, mount points,"
                + " pre-start and post-stop handlers, isolators), in a container over an overlay of the image; the"
                + " store is never changed and everything is removed afterwards.",
            "IMAGE is fetched as 'jetpack fetch' does (the store first).",
            "The app's output goes to stdout and stderr; SIGINT and SIGTERM are passed on to the app.",
            "Exit code: the app's own, 128+N when signal N killed it (as shells report it); 1 when it could not"
                + " be started (no app, a failing pre-start handler, a runtime that cannot enforce the image's"
                + " isolators or user), 2 for a usage error."},
        footerHeading = "%n", footer = "Store: --store DIR, else $" + ImageStore.LOCATION_ENVIRONMENT
                + ", else ~/.jetpack/store.")
final class RunCommand extends JetpackSubcommand {
    @Option(names = {"--volume", "-volume"}, paramLabel = "NAME=HOST_PATH", description = "Bind HOST_PATH at the"
            + " image's mount point NAME (repeatable). A mount point without a volume gets an empty one.")
    Map<String, Path> volumes = new LinkedHashMap<>();

    @Option(names = {"-e", "--env", "-env"}, paramLabel = "NAME=VALUE", description = "Set an environment variable of the"
            + " app, over the manifest's (repeatable).")
    Map<String, String> environment = new LinkedHashMap<>();

    @Option(names = {"--net", "-net"}, paramLabel = "host|none", converter = NetworkConverter.class,
            description = "The app's network: host (default: the host's network and resolv.conf) or none (loopback"
                    + " only).")
    RunNetwork network = RunNetwork.HOST;

    @Option(names = {"--name", "-name"}, paramLabel = "NAME", description = "The app's name in logs and in"
            + " AC_APP_NAME (default: the image name's last part).")
    String name;

    @Mixin
    FetchFlags flags;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "Image to run: ID or prefix, name such as"
            + " example.com/app:1.0, path or URL.")
    String image;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Appended to the app's exec (put them after --).")
    List<String> arguments = new ArrayList<>();

    @Override
    public Integer call() {
        StoredImage stored = jetpack().fetch(image, flags.options(terminal()));
        AppRunSpec.Builder spec = AppRunSpec.builder(stored).volumes(volumes).environment(environment)
                .arguments(arguments).network(network).output(appOutput(terminal()));
        if (name != null) {
            spec.name(name);
        }
        return jetpack().run(spec.build());
    }

    /** The app's stdout is this command's stdout; its stderr, and the engine's messages, go to stderr. */
    private static OutputSink appOutput(Terminal terminal) {
        return (stream, line) -> {
            if (stream == OutputSink.Stream.STDOUT) {
                terminal.result(line);
            } else {
                terminal.message(line);
            }
        };
    }

    static final class NetworkConverter extends JetpackCommand.EngineValueConverter<RunNetwork> {
        NetworkConverter() {
            super(RunNetwork::parse);
        }
    }
}
