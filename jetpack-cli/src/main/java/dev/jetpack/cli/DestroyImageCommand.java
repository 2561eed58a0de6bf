package dev.jetpack.cli;

import dev.jetpack.engine.store.StoredImage;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code jetpack destroy-image IMAGE...}: removes images from the store. */
@Command(name = "destroy-image", mixinStandardHelpOptions = true,
        description = {"Remove images from the store and print each removed image's ID.",
            "An image that another stored image depends on is not removed (remove the dependent image first);"
                + " the images are removed in the order given and the command stops at the first failure."},
        footerHeading = "%n", footer = JetpackCommand.FOOTER)
final class DestroyImageCommand extends JetpackSubcommand {
    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Full image ID, unambiguous ID prefix, or"
            + " NAME[:VERSION][,LABEL=VALUE...].")
    List<String> images;

    @Override
    public Integer call() {
        for (String image : images) {
            StoredImage removed = jetpack().destroy(image);
            terminal().result(removed.id().value());
        }
        return ExitCode.OK;
    }
}
