package dev.jetpack.maven;

import dev.jetpack.engine.Jetpack;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Gets the parent image, and any further images, into the store, so that the build itself needs no network.
 * Offline ({@code -o}) nothing is downloaded: an image missing from the store is an error that says how to get
 * it.
 */
@Mojo(name = "fetch", defaultPhase = LifecyclePhase.INITIALIZE, threadSafe = true)
public class FetchMojo extends AbstractParentImageMojo {
    /** Further images to fetch besides the parent, in the same forms as {@code parentImage}. */
    @Parameter
    private List<String> images;

    @Override
    protected String goal() {
        return "fetch";
    }

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException, ConfigurationException {
        List<ConfiguredImage> sources = new ArrayList<>();
        parent().ifPresent(sources::add);
        for (String image : images == null ? List.<String>of() : images) {
            sources.add(configuredImage(image, "images"));
        }
        if (sources.isEmpty()) {
            getLog().info("Nothing to fetch: no parentImage and no images configured");
            return;
        }
        Jetpack jetpack = jetpack();
        for (ConfiguredImage source : sources) {
            // The engine says which stored image each source gave, and whether it was fetched or already there.
            fetch(jetpack, source);
        }
    }
}
