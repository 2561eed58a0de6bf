package dev.jetpack.engine.build;

import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.manifest.ImageManifest;
import java.nio.file.Path;

/**
 * A finished build.
 *
 * @param imageId    the new image's ID (SHA-512 of the uncompressed tar)
 * @param aci        the ACI file written
 * @param manifest   the manifest as written into the ACI (merged with the parent's defaults)
 * @param manifestJson the manifest's bytes in the ACI
 * @param outputForm the form written
 * @param tarSize    bytes of the uncompressed tar
 * @param fileSize   bytes of the ACI file
 * @param runtime    the name of the container runtime that ran the command
 */
record BuildResult(ImageId imageId, Path aci, ImageManifest manifest, byte[] manifestJson, OutputForm outputForm,
                   long tarSize, long fileSize, String runtime) {
}
