package dev.jetpack.cli;

import dev.jetpack.engine.manifest.ManifestCodec;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code jetpack image-manifest IMAGE}: the stored image's manifest as pretty JSON. */
@Command(name = "image-manifest", mixinStandardHelpOptions = true,
        description = "Print a stored image's manifest as pretty-printed JSON.",
        footerHeading = "%n", footer = JetpackCommand.FOOTER)
final class ImageManifestCommand extends JetpackSubcommand {
    @Parameters(paramLabel = "IMAGE", description = "Full image ID, unambiguous ID prefix, or"
            + " NAME[:VERSION][,LABEL=VALUE...].")
    String image;

    @Override
    public Integer call() {
        byte[] json = ManifestCodec.write(jetpack().find(image).manifest(), true);
        terminal().out().print(new String(json, StandardCharsets.UTF_8));
        terminal().out().flush();
        return ExitCode.OK;
    }
}
