package dev.jetpack.engine.runtime;

import dev.jetpack.engine.io.AtomicFiles;
import dev.jetpack.engine.io.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A successful trial run of a runtime, remembered for the rest of this boot, so that each Maven or CLI run does
 * not start a trial container (two on a hybrid-cgroup host, where crun is tried plainly first) before its build.
 *
 * <p>A record holds for the same tool file (path, size, mtime, change time), the same kernel, the same boot and
 * the same user; anything else probes again. Only successes are kept: a runtime that failed is tried again by
 * the next run, since what made it fail (a missing package, a sysctl) is often fixed between runs. Records live
 * in {@code /run/jetpack/runtime-probes} (tmpfs, emptied at boot) where it is writable, else in the temporary
 * directory under the user's ID; a record that cannot be read or written only costs the trial run.
 */
final class ProbeRecord {
    private static final String FORMAT = "jetpack-runtime-probe 1";

    private final Path file;
    private final String key;

    private ProbeRecord(Path file, String key) {
        this.file = file;
        this.key = key;
    }

    /** The record of {@code runtime} using {@code tool}; empty where the key cannot be made (no /proc). */
    static Optional<ProbeRecord> of(String runtime, Path tool) {
        try {
            Path real = tool.toRealPath();
            Map<String, Object> attributes = Files.readAttributes(real, "unix:size,lastModifiedTime,ctime,ino",
                    LinkOption.NOFOLLOW_LINKS);
            String text = String.join("\n", real.toString(), String.valueOf(attributes.get("size")),
                    String.valueOf(attributes.get("lastModifiedTime")), String.valueOf(attributes.get("ctime")),
                    String.valueOf(attributes.get("ino")),
                    read("/proc/sys/kernel/osrelease"), read("/proc/sys/kernel/random/boot_id"),
                    AbstractRuntime.jvmUid());
            return Optional.of(new ProbeRecord(directory().resolve(runtime + ".probe"),
                    Sha256.hex(text.getBytes(StandardCharsets.UTF_8))));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** Where the record is kept. */
    Path file() {
        return file;
    }

    /** The state the successful trial left (e.g. the cgroup2 mounts to hide), if this boot has a record. */
    Optional<List<String>> load() {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.size() >= 2 && lines.get(0).equals(FORMAT) && lines.get(1).equals(key)) {
                return Optional.of(List.copyOf(lines.subList(2, lines.size())));
            }
        } catch (IOException e) {
            // no record, or unreadable: probe
        }
        return Optional.empty();
    }

    /** Remembers a successful trial and the state it left, one line each. */
    void save(List<String> state) {
        StringBuilder text = new StringBuilder(FORMAT).append('\n').append(key).append('\n');
        state.forEach(line -> text.append(line).append('\n'));
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // not remembered: the next run probes again
        }
    }

    private static Path directory() throws IOException {
        Path run = Path.of("/run");
        if (Files.isDirectory(run) && Files.isWritable(run)) {
            return run.resolve("jetpack/runtime-probes");
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "jetpack-runtime-probes-" + AbstractRuntime.jvmUid());
    }

    private static String read(String file) throws IOException {
        return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
    }
}
