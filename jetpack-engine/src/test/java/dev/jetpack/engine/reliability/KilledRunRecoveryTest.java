package dev.jetpack.engine.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.runtime.RuntimeChoice;
import dev.jetpack.engine.build.ImageBuildSpec;
import dev.jetpack.engine.build.ImageBuild;
import dev.jetpack.engine.JetpackSettings;
import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.aci.AciReader;
import dev.jetpack.engine.aci.AciWriter;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.ReaderOptions;
import dev.jetpack.engine.aci.WriterOptions;
import dev.jetpack.engine.fetch.FetchOptions;
import dev.jetpack.engine.fetch.http.HttpSettings;
import dev.jetpack.engine.io.AtomicFiles;
import dev.jetpack.engine.store.ImportOptions;
import dev.jetpack.engine.store.StoredImage;
import dev.jetpack.engine.testing.RecordingLog;
import dev.jetpack.engine.testing.TestHttpServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM (Maven, the CLI) killed with {@code kill -9} in the middle of a build, a fetch or an ACI write: no
 * shutdown hook and no finally block runs. The next run must find and remove what it left (running OCI
 * containers, overlay mounts, build containers, temporary downloads and ACIs) and then succeed.
 */
class KilledRunRecoveryTest {
    @TempDir
    Path temp;

    @Test
    @DisplayName("kill -9 during a build (runc): the next build deletes the running container, unmounts, cleans, builds")
    void killedDuringABuild() throws Exception {
        Path store = temp.resolve("store");
        RecordingLog log = new RecordingLog();
        Jetpack first = jetpack(store, log);
        StoredImage parent = first.store().importAci(Processes.parentAci(temp, "example.com/parent"),
                ImportOptions.defaults());

        Processes.Child child = new Processes.Child("build", store.toString(), "runc", parent.id().value(),
                "echo READY; exec sleep 600");
        try {
            child.waitFor("the build command running", () -> child.printed("OUT READY"));
        } finally {
            child.kill9();
        }
        // What the dead JVM left: a running container, the overlay mount, the build container directory.
        List<String> containers = Processes.runcContainersOf(child.pid());
        assertThat(containers).as("runc containers of the killed JVM").hasSize(1);
        assertThat(Processes.mountsUnder(store.resolve("containers"))).isNotEmpty();
        System.out.println("[killed run] build: left " + containers + " and mounts "
                + Processes.mountsUnder(store.resolve("containers")));

        RecordingLog next = new RecordingLog();
        Jetpack second = jetpack(store, next);
        StoredImage found = second.find(parent.id().value());
        // Looking an image up leaves the sweep to the first operation that makes containers.
        assertThat(Processes.runcContainersOf(child.pid())).as("left until a build").hasSize(1);

        ImageBuild built = second.buildImage(ImageBuildSpec.derivative(found)
                .command(List.of("/bin/sh", "-c", Processes.manifestCommand("example.com/after-kill"))).build());
        assertThat(Processes.runcContainersOf(child.pid())).as("stale runc container deleted").isEmpty();
        assertThat(Processes.mountsUnder(store.resolve("containers"))).as("no mount left").isEmpty();
        assertThat(store.resolve("containers")).isEmptyDirectory();
        assertThat(next.messages()).anyMatch(m -> m.contains("stale runc container " + containers.get(0)));
        try (Stream<Path> bundles = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(bundles.map(p -> p.getFileName().toString()))
                    .noneMatch(name -> name.startsWith("jetpack-oci-" + child.pid() + "."));
        }
        assertThat(built.stored().orElseThrow().rootfs().resolve("built.txt")).hasContent("built");
        assertThat(store.resolve("builds")).isEmptyDirectory();
        System.out.println("[killed run] build: next start removed them: " + next.messages().stream()
                .filter(m -> m.contains("stale")).toList());
    }

    @Test
    @DisplayName("kill -9 during a fetch from a stalling server: the next fetch of the URL cleans and succeeds")
    void killedDuringAFetch() throws Exception {
        Path store = temp.resolve("store");
        byte[] noise = new byte[1024 * 1024];
        new Random(7).nextBytes(noise);
        Path rootfs = Files.createDirectories(temp.resolve("rootfs"));
        Files.write(rootfs.resolve("noise"), noise);
        Path aci = temp.resolve("image.aci");
        AciWriter.write("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"example.com/slow\"}"
                .getBytes(), rootfs, aci, WriterOptions.builder().compression(Compression.NONE).build());
        byte[] bytes = Files.readAllBytes(aci);
        try (TestHttpServer server = TestHttpServer.http()) {
            server.stall("/slow.aci", Arrays.copyOf(bytes, bytes.length / 2), bytes.length);
            String url = server.uri("/slow.aci").toString();
            // The body streams straight into the store's staging area (tmp/import-*/image.aci): that is where a
            // killed fetch leaves its partial download.
            Path staging = store.resolve("tmp");

            Processes.Child child = new Processes.Child("fetch", store.toString(), url);
            try {
                child.waitFor("a partial download", () -> stagedAcis(staging).size() > 0
                        && sizeOf(stagedAcis(staging).get(0)) > 0);
            } finally {
                child.kill9();
            }
            List<Path> left = stagedAcis(staging);
            assertThat(left).as("the killed JVM's partial download").hasSize(1);
            System.out.println("[killed run] fetch: left " + left);

            server.serveWithEtag("/slow.aci", bytes, "\"v1\"");
            RecordingLog log = new RecordingLog();
            StoredImage image = jetpack(store, log).fetch(url, FetchOptions.builder().http(HttpSettings.builder()
                    .allowPlainHttp(true).build()).build());

            assertThat(image.rootfs().resolve("noise")).hasBinaryContent(noise);
            assertThat(stagedAcis(staging)).as("partial download removed").isEmpty();
            assertThat(store.resolve("tmp")).isEmptyDirectory();
            assertThat(AciReader.inspect(image.aciFile(), ReaderOptions.defaults()).id()).isEqualTo(image.id());
        }
    }

    @Test
    @DisplayName("kill -9 while writing an ACI: no file under the output name, the next write removes the partial one")
    void killedWhileWritingAnAci() throws Exception {
        Path rootfs = Files.createDirectories(temp.resolve("rootfs"));
        byte[] noise = new byte[8 * 1024 * 1024];
        new Random(3).nextBytes(noise);
        Files.write(rootfs.resolve("noise"), noise);
        Path target = Files.createDirectories(temp.resolve("target"));
        Path output = target.resolve("image.aci");

        Processes.Child child = new Processes.Child("write", rootfs.toString(), output.toString());
        try {
            child.waitFor("a partial ACI", () -> temporaries(target).size() > 0
                    && sizeOf(temporaries(target).get(0)) > 0);
        } finally {
            child.kill9();
        }
        assertThat(output).as("never a partial file under the real name").doesNotExist();
        assertThat(temporaries(target)).hasSize(1);

        AciWriter.Result result = AciWriter.write("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":"
                .concat("\"example.com/big\"}").getBytes(), rootfs, output,
                WriterOptions.builder().compression(Compression.GZIP).level(1).build());
        assertThat(temporaries(target)).as("the dead writer's temporary file is gone").isEmpty();
        assertThat(AciReader.inspect(output, ReaderOptions.defaults()).id()).isEqualTo(result.id());
    }

    static Jetpack jetpack(Path store, RecordingLog log) {
        return new Jetpack(JetpackSettings.builder().storeLocation(store).runtime(RuntimeChoice.RUNC)
                .compression(Compression.GZIP).build(), log, ProgressListener.NONE);
    }

    static List<Path> temporaries(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(AtomicFiles::isTemporary).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The ACIs in the store's staging directories ({@code tmp/NAME/image.aci}). */
    static List<Path> stagedAcis(Path tmp) {
        if (!Files.isDirectory(tmp)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(tmp)) {
            return entries.map(entry -> entry.resolve("image.aci")).filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
