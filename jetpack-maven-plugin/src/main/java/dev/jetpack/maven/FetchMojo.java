package dev.jetpack.maven;

import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Gets the parent image, and any further images, into the store, so that the build itself needs no network.
 * Offline ({@code -o}) nothing is downloaded: an image missing from the store is an error.
 */
@Mojo(name = "fetch", defaultPhase = LifecyclePhase.INITIALIZE, threadSafe = true)
public class FetchMojo extends AbstractImageMojo {
    /** Further images to fetch besides the parent, in the same forms as {@code parentImage}. */
    @Parameter
    private List<String> images;

    @Override
    protected String goal() {
        return "fetch";
    }

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException, ConfigurationException {
        ImageFetchSettings settings = settings();
        if (settings.images().isEmpty()) {
            getLog().info("Nothing to fetch: no parentImage and no images configured");
            return;
        }
        getLog().debug(settings.toString());
        // WIRE: hand `settings` to the engine's fetch (images into the store; offline = store only), with
        // MavenEngineLog/MavenProgress as log and progress. Remove this throw then.
        throw new MojoExecutionException("jetpack:fetch is not wired to the engine yet (" + settings.images().size()
                + " image(s) to fetch)");
    }

    /** The configuration as the engine's fetch request: parent first, coordinates resolved. */
    ImageFetchSettings settings() throws ConfigurationException, MojoFailureException {
        List<ImageSource> sources = new ArrayList<>();
        ImageSource parent = parentSource();
        if (parent != null) {
            sources.add(parent);
        }
        if (images != null) {
            for (String image : images) {
                sources.add(resolve(ImageSource.parse(image, basedir(), "images")));
            }
        }
        return new ImageFetchSettings(sources, storePath(), offline(), proxies());
    }
}
