package dev.jetpack.maven;

/** The {@code runtime} parameter: what runs the build command in the container (Jetpack's JETPACK binary). */
public enum RuntimeChoice {
    /** The first that works on this host, in the engine's order of preference. */
    AUTO, RUNC, CRUN, BWRAP, CHROOT
}
