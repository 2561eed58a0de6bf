package dev.jetpack.maven;

import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.aci.DevicePolicy;
import dev.jetpack.engine.aci.ReaderOptions;
import dev.jetpack.engine.build.stage.StageCacheOptions;
import dev.jetpack.engine.fetch.FetchOptions;
import dev.jetpack.engine.fetch.ImageSource;
import dev.jetpack.engine.fetch.http.HttpSettings;
import dev.jetpack.engine.store.ImageNotFoundException;
import dev.jetpack.engine.store.StoredImage;
import java.nio.file.Files;
import java.util.Optional;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.eclipse.aether.RepositorySystem;

/**
 * The goals that deal with images from elsewhere ({@code fetch}, {@code build}, {@code run}, {@code start}): images
 * named by path, URL, discovery name or Maven coordinates, proxies from settings.xml, and coordinates resolved
 * through Maven's repositories (and the reactor).
 */
public abstract class AbstractImageMojo extends AbstractJetpackMojo {
    /**
     * Allows plain HTTP for fetching images: {@code http://} URLs and discovery, and {@code docker://} registries
     * that speak HTTP (such as a registry on 127.0.0.1 for tests). Insecure: anyone on the path can change the
     * image; a warning is logged.
     */
    @Parameter(property = "jetpack.allowHttp", defaultValue = "false")
    protected boolean allowHttp;

    /**
     * Device nodes an image may bring into the store: {@code standard} (null, zero, full, random, urandom, tty,
     * console, ptmx), {@code all} (for images you made or trust, e.g. an ACI made by makeaci) or {@code none}.
     */
    @Parameter(property = "jetpack.devices", defaultValue = "standard")
    protected String devices;

    /** The largest uncompressed image accepted: bytes, or with K, M, G, T. */
    @Parameter(property = "jetpack.maxImageSize", defaultValue = "256G")
    protected String maxImageSize;

    /**
     * The largest ratio of uncompressed to compressed size accepted (checked after the first 64 MiB); raise it for
     * an image with large files of zeros.
     */
    @Parameter(property = "jetpack.maxExpansionRatio", defaultValue = "1000")
    protected long maxExpansionRatio;

    /** How these parameters are spelled, for the engine's messages about a refused image. */
    static final ReaderOptions.SettingNames SETTING_NAMES = new ReaderOptions.SettingNames(
            "<devices>{}</devices> (-Djetpack.devices={})",
            "<maxImageSize>{}</maxImageSize> (-Djetpack.maxImageSize={})",
            "<maxExpansionRatio>{}</maxExpansionRatio> (-Djetpack.maxExpansionRatio={})");

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

    /**
     * Gets {@code image} into the store through the engine (which answers from the store first and, offline,
     * only from there) and returns it; an image an earlier goal of this build got is not looked up again
     * ({@link FetchedImages}). Maven coordinates are resolved by Maven; downloads use the proxies of
     * settings.xml.
     */
    protected StoredImage fetch(Jetpack jetpack, ConfiguredImage image) throws MojoFailureException,
            ConfigurationException {
        // the parent that jetpack:fetch got at initialize, for jetpack:build at package: one lookup per build
        FetchedImages fetched = FetchedImages.of(project);
        FetchedImages.Key key = new FetchedImages.Key(jetpack.settings().storeLocation(), image.source(),
                allowHttp + " " + devices + " " + maxImageSize + " " + maxExpansionRatio);
        Optional<StoredImage> known = fetched.find(key);
        if (known.isPresent()) {
            // by ID, not name: the name is in the manifest, which a no-op build never needs to read
            getLog().debug(image.parameter() + " " + image.text() + ": " + known.get().id() + ", as got earlier in"
                    + " this build");
            return known.get();
        }
        if (allowHttp) {
            getLog().warn("allowHttp: images may be fetched over plain HTTP; they can be altered in transit");
        }
        FetchOptions options = FetchOptions.builder()
                .offline(offline())
                .mavenResolver(new MavenImageResolver(repositorySystem, session.getRepositorySession(),
                        project.getRemoteProjectRepositories()))
                .http(HttpSettings.builder().allowPlainHttp(allowHttp)
                        .proxySelector(proxies().selector())
                        .build())
                .readerOptions(readerOptions())
                .build();
        FetchedImages.FileStamp stamp = FetchedImages.stamp(image.source());
        String what = "Cannot get the image " + image.text() + " (" + image.parameter() + ")";
        try {
            StoredImage stored = jetpack.fetch(image.source(), options);
            fetched.remember(key, stamp, stored);
            return stored;
        } catch (ImageNotFoundException e) {
            throw new MojoFailureException(what + ": " + e.getMessage() + (offline() ? " Maven is offline (-o):"
                    + " only the store " + jetpack.settings().storeLocation() + " is used. Run the build once"
                    + " without -o (mvn jetpack:fetch is enough) to fetch it, or point " + image.parameter()
                    + " at an .aci file." : ""), e);
        } catch (JetpackException e) {
            throw failure(what, e);
        }
    }

    /** The untrusted defaults with the configured device policy and limits. */
    private ReaderOptions readerOptions() throws ConfigurationException {
        try {
            return ReaderOptions.untrusted().toBuilder()
                    .devices(Choices.parse(DevicePolicy.class, devices, DevicePolicy.STANDARD, "devices",
                            "jetpack.devices"))
                    .maxUncompressedBytes(StageCacheOptions.parseSize(maxImageSize, "parameter 'maxImageSize'"))
                    .maxExpansionRatio(maxExpansionRatio)
                    .settingNames(SETTING_NAMES)
                    .build();
        } catch (JetpackException | IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage() + " (-Djetpack.maxImageSize=..., "
                    + "-Djetpack.maxExpansionRatio=...)", e);
        }
    }
}
