package dev.jetpack.cli;

import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.aci.ImageId;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jetpack export [-flat] IMAGE [FILE|-]}: a stored image as an ACI file. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a stored image as an ACI to FILE, or to stdout when FILE is - or missing.",
            "Without -flat the ACI is written exactly as it was stored (dependencies stay dependencies); with"
                + " -flat the rendered tree is written as one self-contained ACI without dependencies and"
                + " pathWhitelist, compressed with --compression.",
            "When writing to a FILE, the ID of the written image is printed."},
        footerHeading = "%n", footer = JetpackCommand.FOOTER)
final class ExportCommand extends JetpackSubcommand {
    @Option(names = {"-flat", "--flat"}, description = "Export the flattened image without dependencies.")
    boolean flat;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "Full image ID, unambiguous ID prefix, or"
            + " NAME[:VERSION][,LABEL=VALUE...].")
    String image;

    @Parameters(index = "1", arity = "0..1", paramLabel = "FILE", description = "Output file; - for stdout.")
    String file;

    @Override
    public Integer call() {
        if (file == null || file.equals("-")) {
            ImageId id = jetpack().export(image, flat, terminal().out());
            if (terminal().out().checkError()) {
                // PrintStream swallows write errors (e.g. a closed pipe): the image did not arrive whole.
                throw new JetpackException("Writing image " + id + " to standard output failed (closed pipe or"
                        + " full disk): the receiver did not get the whole ACI. Export to a FILE instead.");
            }
            terminal().debug("Exported image " + id + " to stdout");
        } else {
            ImageId id = jetpack().export(image, flat, Path.of(file));
            terminal().result(id.value());
        }
        return ExitCode.OK;
    }
}
