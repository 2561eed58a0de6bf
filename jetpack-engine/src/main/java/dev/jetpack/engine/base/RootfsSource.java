package dev.jetpack.engine.base;

import dev.jetpack.engine.JetpackException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Where a base image's root file system comes from, as a user writes it (the Maven plugin's {@code rootfs}):
 *
 * <ul>
 *   <li>{@code host:} — the host's own binaries ({@link HostRootfs#DEFAULT_COMMANDS}) and the libraries they
 *       load: a base image that needs no download, the "embedded default";</li>
 *   <li>{@code host:sh,ls,cat} — the same with the listed commands;</li>
 *   <li>{@code busybox:} — the host's static busybox ({@code /usr/bin/busybox}, Debian's busybox-static) with a
 *       link per applet;</li>
 *   <li>anything else — a path: a rootfs tarball (plain, gzip, bzip2, xz) or a directory.</li>
 * </ul>
 */
public sealed interface RootfsSource {
    /** Prefix of the host-binaries form. */
    String HOST = "host:";
    /** The busybox form. */
    String BUSYBOX = "busybox:";

    /** A tarball or directory (absolute, normalized). */
    record Existing(Path path) implements RootfsSource {
        public Existing {
            path = path.toAbsolutePath().normalize();
        }

        @Override
        public String describe() {
            return path.toString();
        }
    }

    /** Host binaries and their libraries. */
    record HostBinaries(List<String> commands) implements RootfsSource {
        public HostBinaries {
            commands = List.copyOf(commands);
        }

        @Override
        public String describe() {
            return HOST + String.join(",", commands);
        }
    }

    /** The host's static busybox. */
    record Busybox() implements RootfsSource {
        @Override
        public String describe() {
            return BUSYBOX;
        }
    }

    /** The source as a user would write it, for messages. */
    String describe();

    /**
     * @param text         what the user wrote
     * @param baseDirectory where relative paths are resolved
     */
    static RootfsSource parse(String text, Path baseDirectory) {
        if (text == null || text.isBlank()) {
            throw new JetpackException("No rootfs given: give a rootfs tarball or directory, '" + HOST + "' for the"
                    + " host's own binaries, or '" + BUSYBOX + "' for the host's busybox");
        }
        String trimmed = text.trim();
        if (trimmed.equals(BUSYBOX)) {
            return new Busybox();
        }
        if (trimmed.startsWith(HOST)) {
            String list = trimmed.substring(HOST.length()).trim();
            if (list.isEmpty()) {
                return new HostBinaries(HostRootfs.DEFAULT_COMMANDS);
            }
            List<String> commands = Arrays.stream(list.split(",")).map(String::trim).toList();
            for (String command : commands) {
                if (command.isEmpty() || command.contains("/") || command.equals("..")) {
                    throw new JetpackException("Invalid command '" + command + "' in rootfs '" + trimmed + "': list"
                            + " command names found in the host's PATH, separated by commas, e.g. host:sh,ls,cat");
                }
            }
            return new HostBinaries(commands);
        }
        return new Existing(baseDirectory.resolve(trimmed));
    }

    /** Fills {@code target} for the host forms; nothing to do for an existing tarball or directory. */
    default void materialize(Path target) {
        if (this instanceof HostBinaries host) {
            HostRootfs.create(target, host.commands());
        } else if (this instanceof Busybox) {
            HostRootfs.busybox(target);
        }
    }
}
