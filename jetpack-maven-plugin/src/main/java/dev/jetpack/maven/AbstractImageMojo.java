package dev.jetpack.maven;

import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.fetch.FetchOptions;
import dev.jetpack.engine.fetch.http.EnvironmentProxySelector;
import dev.jetpack.engine.fetch.http.HttpSettings;
import dev.jetpack.engine.store.ImageNotFoundException;
import dev.jetpack.engine.store.StoredImage;
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
     * ({@code example.com/app:1.0,os=linux}) or Maven coordinates
     * ({@code groupId:artifactId[:extension[:classifier]]:version}, extension {@code aci} by default, or the
     * command line's {@code mvn:groupId:artifactId:version[:classifier]}), which may name another module of the
     * same reactor (declare it as a dependency of type {@code aci} so that the reactor builds it first). Unset
     * for a base image.
     */
    @Parameter(property = "jetpack.parentImage")
    protected String parentImage;

    @Component
    private RepositorySystem repositorySystem;

    /** The parsed parent image; null when there is none. */
    protected ImageSource parentSource() throws ConfigurationException {
        if (parentImage == null || parentImage.isBlank()) {
            return null;
        }
        return ImageSource.parse(parentImage, basedir(), "parentImage");
    }

    /**
     * Gets {@code source} into the store through the engine (which answers from the store first and, offline,
     * only from there) and returns it. Maven coordinates are resolved by Maven; downloads use the proxies of
     * settings.xml.
     */
    protected StoredImage fetch(Jetpack jetpack, ImageSource source, String parameter)
            throws MojoFailureException, ConfigurationException {
        FetchOptions options = FetchOptions.builder()
                .offline(offline())
                .mavenResolver(new MavenImageResolver(repositorySystem, session.getRepositorySession(),
                        project.getRemoteProjectRepositories()))
                .http(HttpSettings.builder()
                        .proxySelector(EnvironmentProxySelector.from(proxies().buildEnvironment(), new Properties()))
                        .build())
                .build();
        try {
            return jetpack.fetch(source.engineSpec(parameter), options);
        } catch (ImageNotFoundException e) {
            throw new MojoFailureException("Cannot get the image " + source.spec() + " (" + parameter + "): "
                    + e.getMessage() + (offline() ? " Maven is offline (-o): only the store " + jetpack.settings()
                    .storeLocation() + " is used. Run the build once without -o (mvn jetpack:fetch is enough) to"
                    + " fetch it, or point " + parameter + " at an .aci file." : ""), e);
        } catch (JetpackException e) {
            throw failure("Cannot get the image " + source.spec() + " (" + parameter + ")", e);
        }
    }
}
