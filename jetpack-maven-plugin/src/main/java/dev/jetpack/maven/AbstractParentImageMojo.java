package dev.jetpack.maven;

import java.util.Optional;
import org.apache.maven.plugins.annotations.Parameter;

/** The goals that take a parent image ({@code fetch}, {@code build}). */
public abstract class AbstractParentImageMojo extends AbstractImageMojo {
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

    /** The parent image, parsed; empty for a base image. */
    protected Optional<ConfiguredImage> parent() throws ConfigurationException {
        if (parentImage == null || parentImage.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(configuredImage(parentImage, "parentImage"));
    }
}
