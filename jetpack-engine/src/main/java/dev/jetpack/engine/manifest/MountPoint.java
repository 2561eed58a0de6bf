package dev.jetpack.engine.manifest;

/**
 * One entry of {@code app.mountPoints}: a place where the app expects external data.
 *
 * @param name     an AC Name the executor resolves to a volume; {@code null} when the JSON omitted it
 * @param path     where in the rootfs it is mounted; {@code null} when the JSON omitted it
 * @param readOnly whether the mount is read-only (the spec's default is false)
 */
public record MountPoint(String name, String path, boolean readOnly) {
}
