package dev.jetpack.maven;

import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.fetch.FetchOptions;
import dev.jetpack.engine.fetch.http.HttpSettings;
import dev.jetpack.engine.oci.registry.CredentialStore;
import dev.jetpack.engine.oci.registry.PushOptions;
import dev.jetpack.engine.oci.registry.RegistryOptions;
import dev.jetpack.engine.oci.registry.RegistryReference;
import dev.jetpack.engine.store.StoredImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Pushes the project's image (the one {@code jetpack:build} built: {@code target/<finalName>.aci.id}) to a
 * container registry as an OCI image, at {@code deploy} when the goal is configured. Credentials come from the
 * settings.xml {@code <server>} whose id is the registry's {@code host:port} (or {@code host}), passwords
 * decrypted, then from the same files skopeo, podman and docker use.
 */
@Mojo(name = "push", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class PushMojo extends AbstractJetpackMojo {
    /** Where to push: {@code HOST[:PORT]/REPOSITORY[:TAG]} (tag {@code latest} when missing). */
    @Parameter(property = "jetpack.push.to")
    private String to;

    /**
     * Allows a registry that speaks plain HTTP (insecure: the image and credentials can be read and altered in
     * transit). HTTPS, with verified certificates, is tried first.
     */
    @Parameter(property = "jetpack.push.allowHttp", defaultValue = "false")
    private boolean allowHttp;

    /** Repositories of the same registry to mount blobs from instead of uploading them. */
    @Parameter
    private List<String> mountFrom;

    /** Skips only this goal (building still happens). */
    @Parameter(property = "jetpack.push.skip", defaultValue = "false")
    private boolean skipPush;

    @Override
    protected String goal() {
        return "push";
    }

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException, ConfigurationException {
        if (skipPush) {
            getLog().info("Skipping jetpack:push (jetpack.push.skip=true)");
            return;
        }
        RegistryReference target = target();
        if (offline()) {
            throw new MojoFailureException("Cannot push to " + target + ": Maven is offline (-o), and a push needs"
                    + " the registry. Run without -o, or skip the push with -Djetpack.push.skip=true");
        }
        Jetpack jetpack = jetpack();
        String image = builtImage(jetpack);
        PushOptions options = PushOptions.builder()
                .registry(RegistryOptions.builder()
                        .http(HttpSettings.builder()
                                .allowPlainHttp(allowHttp)
                                .proxySelector(proxies().selector())
                                .build())
                        .credentials(CredentialStore.builder()
                                .mavenServers(RegistryServers.of(decryptedServers()))
                                .explicitHint("add a <server> with that id to settings.xml")
                                .build())
                        .build())
                .mountFrom(mountFrom == null ? List.of() : mountFrom)
                .build();
        try {
            jetpack.push(image, target, options); // the engine logs "Pushed REF@DIGEST"
        } catch (JetpackException e) {
            throw failure("Cannot push the image " + image + " to " + target, e);
        }
    }

    private RegistryReference target() throws ConfigurationException {
        if (to == null || to.isBlank()) {
            throw new ConfigurationException("Parameter 'to' is not set: give the registry image to push to, e.g."
                    + " <to>registry.example.com/team/app:${project.version}</to> or -Djetpack.push.to=...");
        }
        try {
            return RegistryReference.parse(to);
        } catch (JetpackException e) {
            throw new ConfigurationException("Invalid parameter 'to': " + e.getMessage(), e);
        }
    }

    /**
     * The image jetpack:build made for this project, in the store: a derivative is stored by the build; a base
     * image is only the ACI file, so it is imported (the ID it gets must be the one the build recorded).
     */
    private String builtImage(Jetpack jetpack) throws ConfigurationException, MojoExecutionException,
            MojoFailureException {
        Path aci = Path.of(project.getBuild().getDirectory()).toAbsolutePath()
                .resolve(project.getBuild().getFinalName() + ".aci");
        Path idFile = aci.resolveSibling(aci.getFileName() + ".id");
        if (!Files.isRegularFile(idFile) || !Files.isRegularFile(aci)) {
            throw new ConfigurationException("There is no built image to push: " + idFile + " or " + aci + " is"
                    + " missing. Run jetpack:build first in the same build (e.g. mvn deploy, or mvn package"
                    + " jetpack:push)");
        }
        String id;
        try {
            id = Files.readString(idFile).strip();
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot read " + idFile + ": " + e.getMessage(), e);
        }
        try {
            StoredImage stored = jetpack.importImage(aci.toString(), Optional.empty(), Optional.empty(),
                    FetchOptions.defaults());
            if (!stored.id().value().equals(id)) {
                throw new ConfigurationException(aci + " has the ID " + stored.id() + " but " + idFile + " says " + id
                        + ": the files are from different builds; run jetpack:build again");
            }
        } catch (JetpackException e) {
            throw failure("Cannot put the built image " + aci + " into the store to push it", e);
        }
        return id;
    }
}
