package dev.jetpack.maven;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code jetpack:fetch} asks of the engine: get these images into the store. No Maven type in here;
 * Maven coordinates are already resolved to files.
 *
 * @param images  the parent image first (when there is one), then the further images, in order
 * @param store   the image store, absent for the engine's default
 * @param offline Maven's {@code -o}: nothing may be downloaded; an image not in the store is an error
 * @param proxies the proxies from settings.xml
 */
public record ImageFetchSettings(List<ImageSource> images, Optional<Path> store, boolean offline,
        ProxySettings proxies) {
    public ImageFetchSettings {
        images = List.copyOf(images);
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(proxies, "proxies");
    }

    @Override
    public String toString() {
        return "ImageFetchSettings[images=[" + ImageBuildSettings.join(images) + "], store="
                + store.map(Path::toString).orElse("default") + ", offline=" + offline + ", proxies=" + proxies + "]";
    }
}
