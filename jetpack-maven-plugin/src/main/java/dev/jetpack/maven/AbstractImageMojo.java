package dev.jetpack.maven;

import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.fetch.FetchOptions;
import dev.jetpack.engine.fetch.ImageSource;
import dev.jetpack.engine.fetch.http.EnvironmentProxySelector;
import dev.jetpack.engine.fetch.http.HttpSettings;
import dev.jetpack.engine.store.ImageNotFoundException;
import dev.jetpack.engine.store.StoredImage;
import java.nio.file.Files;
import java.util.Optional;
import java.util.Properties;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.eclipse.aether.RepositorySystem;

/**
 * The goals that deal with images from elsewhere ({@code fetch}, {@code build}): the parent image, proxies from
 * settings.xml, and Maven coordinates resolved through Maven's repositories (and the reactor).
 */
public abstract class AbstractImageMojo extends AbstractJetpackMojo {
    /**
     * The parent image (PARENT_IMAGE): a path to an .aci file, a URL, an appc discovery name
     * ({@code example.com/app:1.0,os=linux}), Maven coordinates
     * ({@code groupId:artifactId[:extension[:classifier]]:version}, extension {@code aci} by default, or the
     * command line's {@code mvn:groupId:artifactId:version[:classifier]}), which may name another module of the
     * same reactor (declare it as a dependency of type {@code aci} so that the reactor builds it first), or an
     * OCI image in skopeo's spellings: {@code oci:DIR[:TAG]}, {@code docker-archive:FILE},
     * {@code docker://HOST[:PORT]/REPOSITORY:TAG}. Unset for a base image.
     */
    @Parameter(property = "jetpack.parentImage")
    protected String parentImage;

    /**
     * Allows plain HTTP for fetching images: {@code http://} URLs and discovery, and {@code docker://} registries
     * that speak HTTP (such as a registry on 127.0.0.1 for tests). Insecure: anyone on the path can change the
     * image; a warning is logged.
     */
    @Parameter(property = "jetpack.allowHttp", defaultValue = "false")
    protected boolean allowHttp;

    @Component
    private RepositorySystem repositorySystem;

    /** An image as configured: the parameter it is in, what the user wrote, and what that means. */
    protected record ConfiguredImage(String parameter, String text, ImageSource source) {
    }

    /**
     * Parses what a parameter names with the engine's one parser ({@link ImageSource#parse}), relative paths
     * against the project's basedir.
     */
    protected ConfiguredImage configuredImage(String text, String parameter) throws ConfigurationException {
        if (text == null || text.isBlank()) {
            throw new ConfigurationException("Parameter '" + parameter + "' is empty: give a path to an .aci file,"
                    + " a URL, a discovery name such as example.com/app:1.0, or Maven coordinates such as"
                    + " com.example:base:1.0");
        }
        ImageSource source;
        try {
            source = ImageSource.parse(text, basedir());
        } catch (JetpackException e) {
            throw new ConfigurationException("Invalid image in parameter '" + parameter + "': " + e.getMessage(), e);
        }
        if (source instanceof ImageSource.LocalFile file && !Files.isRegularFile(file.path())) {
            throw new ConfigurationException("Parameter '" + parameter + "' names the file " + file.path()
                    + ", which does not exist; build or download it first, or give a name, URL or coordinates");
        }
        return new ConfiguredImage(parameter, text.trim(), source);
    }

    /** The parent image, parsed; empty for a base image. */
    protected Optional<ConfiguredImage> parent() throws ConfigurationException {
        if (parentImage == null || parentImage.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(configuredImage(parentImage, "parentImage"));
    }

    /**
     * Gets {@code image} into the store through the engine (which answers from the store first and, offline,
     * only from there) and returns it. Maven coordinates are resolved by Maven; downloads use the proxies of
     * settings.xml.
     */
    protected StoredImage fetch(Jetpack jetpack, ConfiguredImage image) throws MojoFailureException {
        if (allowHttp) {
            getLog().warn("allowHttp: images may be fetched over plain HTTP; they can be altered in transit");
        }
        FetchOptions options = FetchOptions.builder()
                .offline(offline())
                .mavenResolver(new MavenImageResolver(repositorySystem, session.getRepositorySession(),
                        project.getRemoteProjectRepositories()))
                .http(HttpSettings.builder().allowPlainHttp(allowHttp)
                        .proxySelector(EnvironmentProxySelector.from(proxies().buildEnvironment(), new Properties()))
                        .build())
                .build();
        String what = "Cannot get the image " + image.text() + " (" + image.parameter() + ")";
        try {
            return jetpack.fetch(image.source(), options);
        } catch (ImageNotFoundException e) {
            throw new MojoFailureException(what + ": " + e.getMessage() + (offline() ? " Maven is offline (-o):"
                    + " only the store " + jetpack.settings().storeLocation() + " is used. Run the build once"
                    + " without -o (mvn jetpack:fetch is enough) to fetch it, or point " + image.parameter()
                    + " at an .aci file." : ""), e);
        } catch (JetpackException e) {
            throw failure(what, e);
        }
    }
}
