package dev.jetpack.maven;

/** The {@code format} parameter: what the ACI holds (the make macros' {@code flat-aci} and {@code aci} targets). */
public enum ImageFormat {
    /** The whole tree, no dependencies: runs anywhere without the parent (the default). */
    FLAT,
    /** Only what the build changed, with the parent as a dependency: small, needs the parent to run. */
    LAYERED
}
