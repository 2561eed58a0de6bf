package dev.jetpack.cli;

import dev.jetpack.engine.fetch.FetchOptions;
import dev.jetpack.engine.store.StoredImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jetpack import [-saveid FILE] [-name NAME] [-sig LOCATION] LOCATION|-}: one ACI, no discovery. */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Import one ACI from a path, file: URL, http(s): URL, or standard input (-), and print its"
                + " ID.",
            "With -sig the detached signature must verify against the keys trusted for the image's name (-name,"
                + " else the name in its manifest); a failed check stores nothing."},
        footerHeading = "%n", footer = JetpackCommand.FOOTER)
final class ImportCommand extends JetpackSubcommand {
    @Option(names = {"-saveid", "--saveid"}, paramLabel = "FILE", description = "Write the image's ID to FILE.")
    Path saveId;

    @Option(names = {"-name", "--name"}, paramLabel = "NAME", description = "The image's expected name: the"
            + " manifest must carry it, and the signature is checked for it.")
    String name;

    @Option(names = {"-sig", "--sig"}, paramLabel = "LOCATION", description = "Path or URL of the ACI's"
            + " ASCII-armored detached signature.")
    String signature;

    @Mixin
    FetchFlags flags;

    @Parameters(paramLabel = "LOCATION", description = "Path, file: or http(s): URL of the ACI, or - for stdin.")
    String location;

    @Override
    public Integer call() {
        FetchOptions options = flags.options(terminal());
        StoredImage imported = location.equals("-")
                ? jetpack().importImage(System.in, Optional.ofNullable(signature), Optional.ofNullable(name), options)
                : jetpack().importImage(location, Optional.ofNullable(signature), Optional.ofNullable(name), options);
        if (saveId != null) {
            saveIds(saveId, List.of(imported.id()));
        }
        terminal().result(imported.id().value());
        return ExitCode.OK;
    }
}
