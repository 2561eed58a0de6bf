package dev.jetpack.engine.build;

import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.store.StoredImage;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a build produced ({@link ImageBuildService#build}).
 *
 * @param id     the image's ID
 * @param aci    the ACI file, when the spec asked for one
 * @param reused true when the output of the last build was up to date and nothing was built
 * @param stored the image as stored: a derivative that was built (base images are written as files only)
 */
public record ImageBuild(ImageId id, Optional<Path> aci, boolean reused, Optional<StoredImage> stored) {
}
