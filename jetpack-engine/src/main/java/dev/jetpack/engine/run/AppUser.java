package dev.jetpack.engine.run;

import dev.jetpack.engine.manifest.App;
import dev.jetpack.engine.runtime.ContainedPaths;
import dev.jetpack.engine.runtime.ContainerUser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Who an app runs as, resolved as the appc executor does it (ace.md): {@code user} and {@code group} are each a
 * number, a name looked up in the image's own {@code /etc/passwd} or {@code /etc/group} (never the host's), or
 * an absolute path whose owner (or group) in the image they mean; {@code supplementaryGIDs} are numbers.
 *
 * @param identity the numeric identity
 * @param home     the user's home directory from the image's {@code /etc/passwd}, where the user has an entry
 */
record AppUser(ContainerUser identity, Optional<String> home) {
    private static final String PASSWD = "/etc/passwd";
    private static final String GROUP = "/etc/group";

    /**
     * @throws RunException when a name is not in the image's files, or a path not in the image, naming which
     */
    static AppUser resolve(App app, Path rootfs, String image) {
        long uid = resolve(app.user(), "user", PASSWD, rootfs, image, "uid");
        long gid = resolve(app.group(), "group", GROUP, rootfs, image, "gid");
        Optional<String> home = entries(rootfs, PASSWD, image).stream()
                .filter(fields -> fields.length > 5 && fields[2].equals(Long.toString(uid)))
                .map(fields -> fields[5]).filter(path -> path.startsWith("/")).findFirst();
        try {
            return new AppUser(new ContainerUser(uid, gid, app.supplementaryGIDs()), home);
        } catch (IllegalArgumentException e) {
            throw new RunException("The app of " + image + " cannot run: " + e.getMessage()
                    + ". Fix user, group or supplementaryGIDs in its manifest.");
        }
    }

    private static long resolve(String value, String what, String file, Path rootfs, String image, String owner) {
        if (value == null || value.isEmpty()) {
            throw new RunException("The app of " + image + " has no " + what + ": appc requires one. Give it in the"
                    + " manifest (a name, a number, or a path whose owner it means).");
        }
        if (value.chars().allMatch(Character::isDigit)) {
            return parseId(value, what, image);
        }
        if (value.startsWith("/")) {
            return ownerOf(value, what, rootfs, image, owner);
        }
        for (String[] fields : entries(rootfs, file, image)) {
            if (fields.length > 2 && fields[0].equals(value)) {
                return parseId(fields[2], what + " '" + value + "' in " + file, image);
            }
        }
        throw new RunException("The app of " + image + " runs as " + what + " '" + value + "', which is not in the"
                + " image's " + file + ". Add it there when building the image, or give a number instead.");
    }

    private static long parseId(String text, String what, String image) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new RunException("The " + what + " of the app of " + image + " is not a valid id: '" + text + "'.");
        }
    }

    private static long ownerOf(String path, String what, Path rootfs, String image, String owner) {
        try {
            Path host = ContainedPaths.hostPath(rootfs, ContainedPaths.resolve(rootfs, path));
            return ((Number) Files.getAttribute(host, "unix:" + owner, LinkOption.NOFOLLOW_LINKS)).longValue();
        } catch (NoSuchFileException e) {
            throw new RunException("The app of " + image + " runs as the " + what + " that owns " + path + ", which"
                    + " the image does not have. Add the path to the image, or give a name or number instead.");
        } catch (IOException e) {
            throw new RunException("Cannot read the owner of " + path + " in " + image + ": " + e.getMessage(), e);
        }
    }

    /* The colon-separated lines of an image's passwd or group file; none when it has no such file. */
    private static List<String[]> entries(Path rootfs, String file, String image) {
        try {
            Path host = ContainedPaths.hostPath(rootfs, ContainedPaths.resolve(rootfs, file));
            if (!Files.isRegularFile(host)) {
                return List.of();
            }
            return Files.readAllLines(host, StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.split(":", -1)).toList();
        } catch (IOException e) {
            throw new RunException("Cannot read " + file + " of " + image + ": " + e.getMessage(), e);
        }
    }
}
