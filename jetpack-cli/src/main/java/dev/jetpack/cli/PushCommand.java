package dev.jetpack.cli;

import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.fetch.http.HttpSettings;
import dev.jetpack.engine.oci.registry.CredentialStore;
import dev.jetpack.engine.oci.registry.Credentials;
import dev.jetpack.engine.oci.registry.PushOptions;
import dev.jetpack.engine.oci.registry.PushResult;
import dev.jetpack.engine.oci.registry.RegistryOptions;
import dev.jetpack.engine.oci.registry.RegistryReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jetpack push IMAGE HOST[:PORT]/REPOSITORY[:TAG]}: a stored image straight to a registry. */
@Command(name = "push", mixinStandardHelpOptions = true,
        description = {"Push a stored image to a container registry (distribution API v2) as an OCI image.",
            "Only the blobs the registry lacks are sent; the manifest goes last. Prints the pushed reference with"
                + " its digest.",
            "Credentials, first found wins: --credentials-file, $" + PushCommand.CREDENTIALS_VARIABLE
                + " (USER:PASSWORD), $REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json,"
                + " ~/.config/containers/auth.json, $DOCKER_CONFIG/config.json or ~/.docker/config.json (with"
                + " credential helpers), as skopeo login, podman login and docker login write them."},
        footerHeading = "%n", footer = JetpackCommand.FOOTER)
final class PushCommand extends JetpackSubcommand {
    /** An environment variable with USER:PASSWORD, for CI jobs that have secrets as variables. */
    static final String CREDENTIALS_VARIABLE = "JETPACK_REGISTRY_CREDENTIALS";

    @Option(names = "--allow-http", description = "Allow a registry that speaks plain"
            + " HTTP (insecure: the image and credentials can be read and altered in transit; a warning is"
            + " printed). HTTPS is tried first.")
    boolean allowHttp;

    @Option(names = "--credentials-file", paramLabel = "FILE", description = "A file whose first line is"
            + " USER:PASSWORD for the registry (kept out of the command line and the shell history).")
    Path credentialsFile;

    @Option(names = "--mount-from", paramLabel = "REPOSITORY", description = "A repository of the same registry"
            + " to mount blobs from instead of uploading them (e.g. the parent image's); repeatable.")
    List<String> mountFrom = new ArrayList<>();

    @Parameters(index = "0", paramLabel = "IMAGE", description = "Full image ID, unambiguous ID prefix, or"
            + " NAME[:VERSION][,LABEL=VALUE...].")
    String image;

    @Parameters(index = "1", paramLabel = "REF", converter = ReferenceConverter.class,
            description = "Where to push: HOST[:PORT]/REPOSITORY[:TAG] (tag latest when missing).")
    RegistryReference target;

    @Override
    public Integer call() {
        if (allowHttp) {
            terminal().warn("--allow-http: a registry speaking plain HTTP is accepted; the image and credentials"
                    + " can be read and altered in transit");
        }
        CredentialStore.Builder credentials = CredentialStore.builder()
                .explicitHint("give them with --credentials-file FILE or $" + CREDENTIALS_VARIABLE);
        if (credentialsFile != null) {
            credentials.explicit(Credentials.parse(firstLine(credentialsFile), "--credentials-file "
                    + credentialsFile), "--credentials-file " + credentialsFile);
        } else if (System.getenv(CREDENTIALS_VARIABLE) != null && !System.getenv(CREDENTIALS_VARIABLE).isBlank()) {
            credentials.explicit(Credentials.parse(System.getenv(CREDENTIALS_VARIABLE), "$" + CREDENTIALS_VARIABLE),
                    "$" + CREDENTIALS_VARIABLE);
        }
        PushOptions options = PushOptions.builder()
                .registry(RegistryOptions.builder()
                        .http(HttpSettings.builder().allowPlainHttp(allowHttp).build())
                        .credentials(credentials.build())
                        .progress(terminal())
                        .build())
                .mountFrom(mountFrom)
                .build();
        PushResult result = jetpack().push(image, target, options);
        terminal().result(result.pushed().toString());
        return ExitCode.OK;
    }

    private static String firstLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isBlank()) {
                throw new JetpackException("The credentials file " + file + " is empty; write USER:PASSWORD on its"
                        + " first line");
            }
            return lines.get(0);
        } catch (IOException e) {
            throw new JetpackException("Cannot read the credentials file " + file + " (--credentials-file): "
                    + e.getMessage() + ". Give a readable file with USER:PASSWORD on its first line.", e);
        }
    }

    /** The engine's one parser for registry references; a bad one is a usage error with its message. */
    static final class ReferenceConverter extends JetpackCommand.EngineValueConverter<RegistryReference> {
        ReferenceConverter() {
            super(RegistryReference::parse);
        }
    }
}
