package dev.jetpack.maven;

import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.store.StoredImage;
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
        // Runtime and compression play no part in fetching.
        Jetpack jetpack = jetpack(dev.jetpack.engine.JetpackSettings.AUTO_RUNTIME, Compression.XZ);
        for (int i = 0; i < settings.images().size(); i++) {
            ImageSource source = settings.images().get(i);
            String parameter = i == 0 && parentImage != null && !parentImage.isBlank() ? "parentImage" : "images";
            StoredImage image = fetch(jetpack, source, parameter);
            getLog().info("Image " + source.spec() + " is in the store as " + image.describe());
        }
    }

    /** The configuration as the engine's fetch request: parent first. */
    ImageFetchSettings settings() throws ConfigurationException, MojoFailureException {
        List<ImageSource> sources = new ArrayList<>();
        ImageSource parent = parentSource();
        if (parent != null) {
            sources.add(parent);
        }
        if (images != null) {
            for (String image : images) {
                sources.add(ImageSource.parse(image, basedir(), "images"));
            }
        }
        return new ImageFetchSettings(sources, storePath(), offline(), proxies());
    }
}
