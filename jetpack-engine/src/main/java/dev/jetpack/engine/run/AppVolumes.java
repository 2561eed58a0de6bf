package dev.jetpack.engine.run;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.manifest.MountPoint;
import dev.jetpack.engine.runtime.ContainerSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds the user's volumes to the app's mount points, by name, as rkt did: each mount point gets the volume of
 * the same name, read-only where the mount point says so. A mount point without a volume gets an empty one
 * (a new directory, mode 0755, owned by root) with a warning; it lives in the run's directory and goes with it.
 * A volume that no mount point names, or whose host path does not exist, is an error (a typing mistake would
 * otherwise run the app without its data).
 */
final class AppVolumes {
    private AppVolumes() {
    }

    /**
     * @param emptyVolumes where empty volumes are created (inside the run's directory)
     * @return the binds, in the order of the manifest's mount points
     */
    static List<ContainerSpec.Bind> bind(List<MountPoint> mountPoints, Map<String, Path> volumes, Path emptyVolumes,
                                         String image, EngineLog log) {
        Set<String> names = new LinkedHashSet<>();
        mountPoints.forEach(point -> names.add(point.name()));
        for (Map.Entry<String, Path> volume : volumes.entrySet()) {
            if (!names.contains(volume.getKey())) {
                throw new RunException("There is no mount point '" + volume.getKey() + "' in " + image + " for the"
                        + " volume " + volume.getKey() + "=" + volume.getValue() + ". Its mount points are: "
                        + (names.isEmpty() ? "none" : String.join(", ", names)) + ".");
            }
            if (!Files.exists(volume.getValue())) {
                throw new RunException("The volume " + volume.getKey() + "=" + volume.getValue() + " does not exist on"
                        + " the host: create the directory or file first.");
            }
        }
        List<ContainerSpec.Bind> binds = new ArrayList<>();
        for (MountPoint point : mountPoints) {
            Path source = volumes.get(point.name());
            if (source == null) {
                log.warn("No volume for the mount point '" + point.name() + "' (" + point.path() + ") of " + image
                        + ": an empty volume is created for it and removed after the run. Give a volume named '"
                        + point.name() + "' to keep its data.");
                source = emptyVolume(emptyVolumes, point.name());
            }
            binds.add(new ContainerSpec.Bind(source.toAbsolutePath(), point.path(), point.readOnly()));
        }
        return List.copyOf(binds);
    }

    private static Path emptyVolume(Path emptyVolumes, String name) {
        try {
            Path volume = Files.createDirectories(emptyVolumes).resolve(name);
            Files.createDirectory(volume);
            Files.setPosixFilePermissions(volume, PosixFilePermissions.fromString("rwxr-xr-x")); // not the umask's
            return volume;
        } catch (IOException e) {
            throw new RunException("Cannot create the empty volume " + name + " in " + emptyVolumes + ": "
                    + e.getMessage(), e);
        }
    }
}
