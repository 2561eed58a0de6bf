package dev.jetpack.engine.runtime;

import dev.jetpack.engine.io.Mounts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Helpers shared by the runtime tests: output capture and host-state snapshots. */
final class RuntimeFixture {
    private RuntimeFixture() {
    }

    /** Collects lines per stream and in arrival order. */
    static final class Capture implements OutputSink {
        final List<String> stdout = new ArrayList<>();
        final List<String> stderr = new ArrayList<>();
        final List<String> all = new ArrayList<>();

        @Override
        public synchronized void line(Stream stream, String line) {
            (stream == Stream.STDOUT ? stdout : stderr).add(line);
            all.add(stream + ":" + line);
        }
    }

    /**
     * Mount points under {@code root}. Scoped to the test's own directory: other builds on the machine mount and
     * unmount at the same time, and everything a runtime could leave behind lies under the rootfs it was given.
     */
    static List<Path> mounts(Path root) throws IOException {
        return Mounts.mountPointsUnder(root);
    }

    /** Path → type and mode of every entry under root (not following links), to prove a run changed nothing. */
    static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                Map<String, Object> attributes = Files.readAttributes(path, "unix:mode,size,lastModifiedTime",
                        LinkOption.NOFOLLOW_LINKS);
                entries.put(root.relativize(path).toString(), attributes.get("mode") + "/" + attributes.get("size")
                        + "/" + attributes.get("lastModifiedTime"));
            }
        }
        return entries;
    }

    /** Processes of this JVM's family (descendants) still alive. */
    static List<ProcessHandle> descendants() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
    }
}
