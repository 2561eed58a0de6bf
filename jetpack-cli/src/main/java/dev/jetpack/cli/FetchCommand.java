package dev.jetpack.cli;

import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.fetch.FetchOptions;
import dev.jetpack.engine.store.StoredImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jetpack fetch [-saveid FILE] NAME|PATH|URL ...}: images into the store. */
@Command(name = "fetch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fetch images into the store and print their IDs, one per line, in the order given.",
            "An image is a path or file: URL (imported), an http(s): URL (downloaded; URL.asc verified when"
                + " present), an image ID or prefix (looked up in the store), or a name such as"
                + " example.com/app:1.0,os=linux (the store first, then appc discovery; the signature must verify"
                + " against the trusted keys, see 'jetpack trust').",
            "OCI images, in skopeo's spellings: oci:DIR[:TAG] (an image layout), docker-archive:FILE[:NAME:TAG]"
                + " (a docker save archive), docker://HOST[:PORT]/REPO:TAG (a registry; --allow-http for a plain-HTTP"
                + " one). Their layers are applied once into an appc image; a registry reference is answered from"
                + " the store unless --refresh.",
            "The command stops at the first image that fails."},
        footerHeading = "%n", footer = JetpackCommand.FOOTER)
final class FetchCommand extends JetpackSubcommand {
    @Option(names = {"-saveid", "--saveid"}, paramLabel = "FILE", description = "Write the fetched images' IDs to"
            + " FILE, one per line.")
    Path saveId;

    @Mixin
    FetchFlags flags;

    @Parameters(arity = "1..*", paramLabel = "NAME|PATH|URL|OCI", description = "What to fetch.")
    List<String> images;

    @Override
    public Integer call() {
        FetchOptions options = flags.options(terminal());
        List<ImageId> ids = new ArrayList<>();
        for (String image : images) {
            StoredImage fetched = jetpack().fetch(image, options);
            ids.add(fetched.id());
            terminal().result(fetched.id().value());
        }
        if (saveId != null) {
            saveIds(saveId, ids);
        }
        return ExitCode.OK;
    }
}
