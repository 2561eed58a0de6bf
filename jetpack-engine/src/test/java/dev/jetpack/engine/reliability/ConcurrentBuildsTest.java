package dev.jetpack.engine.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.build.ImageBuildSpec;
import dev.jetpack.engine.build.ImageBuild;
import dev.jetpack.engine.aci.AciReader;
import dev.jetpack.engine.aci.ReaderOptions;
import dev.jetpack.engine.store.ImageStore;
import dev.jetpack.engine.store.StoredImage;
import dev.jetpack.engine.testing.RecordingLog;
import dev.jetpack.engine.testing.TestHttpServer;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JVMs (two Maven processes) and two threads of a third ({@code mvn -T 2}) build from one parent, fetched
 * from a URL, with one store, all at once: the parent is downloaded and unpacked once, every build succeeds,
 * and the store holds one copy of the parent and nothing half-done.
 */
class ConcurrentBuildsTest {
    @TempDir
    Path temp;

    @Test
    @DisplayName("2 JVMs + 2 threads build from one parent URL: one download, one unpack, four good images")
    void fourBuildsFromOneParent() throws Exception {
        Path store = temp.resolve("store");
        byte[] parent = Files.readAllBytes(Processes.parentAci(temp, "example.com/parent"));
        try (TestHttpServer server = TestHttpServer.http()) {
            // Served slowly (about a second), so that the four fetches overlap.
            java.util.concurrent.atomic.AtomicInteger bodies = new java.util.concurrent.atomic.AtomicInteger();
            server.handle("/parent.aci", exchange -> {
                if (exchange.getRequestHeaders().getFirst("If-None-Match") != null) {
                    exchange.getResponseHeaders().set("ETag", "\"p1\"");
                    exchange.sendResponseHeaders(304, -1);
                    exchange.close();
                    return;
                }
                exchange.getResponseHeaders().set("ETag", "\"p1\"");
                bodies.incrementAndGet();
                exchange.sendResponseHeaders(200, parent.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    int chunk = parent.length / 10 + 1;
                    for (int at = 0; at < parent.length; at += chunk) {
                        out.write(parent, at, Math.min(chunk, parent.length - at));
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            String url = server.uri("/parent.aci").toString();

            List<Processes.Child> children = List.of(
                    new Processes.Child("build", store.toString(), "runc", url,
                            Processes.manifestCommand("example.com/child-jvm1")),
                    new Processes.Child("build", store.toString(), "runc", url,
                            Processes.manifestCommand("example.com/child-jvm2")));
            List<RecordingLog> logs = new ArrayList<>();
            List<CompletableFuture<ImageBuild>> threads = new ArrayList<>();
            for (int i = 1; i <= 2; i++) {
                RecordingLog log = new RecordingLog();
                logs.add(log);
                String name = "example.com/child-thread" + i;
                threads.add(CompletableFuture.supplyAsync(() -> {
                    Jetpack jetpack = KilledRunRecoveryTest.jetpack(store, log);
                    StoredImage base = ChildMain.fetch(jetpack, url);
                    return jetpack.buildImage(ImageBuildSpec.derivative(base)
                            .command(List.of("/bin/sh", "-c", Processes.manifestCommand(name))).build());
                }));
            }
            List<String> lines = new ArrayList<>();
            for (Processes.Child child : children) {
                String output = child.finish();
                assertThat(child.process.exitValue()).as(output).isZero();
                lines.addAll(child.lines);
            }
            for (CompletableFuture<ImageBuild> thread : threads) {
                thread.get(120, TimeUnit.SECONDS);
            }
            logs.forEach(log -> lines.addAll(log.messages()));

            assertThat(bodies.get()).as("the parent's body was sent once").isEqualTo(1);
            List<String> unpacked = lines.stream().filter(line -> line.startsWith("INFO Imported")
                    && line.contains(url)).toList();
            assertThat(unpacked).as("the parent was unpacked into the store once").hasSize(1);

            ImageStore opened = ImageStore.open(store, new RecordingLog());
            assertThat(opened.list()).extracting(StoredImage::name).containsExactlyInAnyOrder("example.com/parent",
                    "example.com/child-jvm1", "example.com/child-jvm2", "example.com/child-thread1",
                    "example.com/child-thread2");
            for (StoredImage image : opened.list()) {
                assertThat(AciReader.inspect(image.aciFile(), ReaderOptions.defaults()).id())
                        .as("stored ACI of " + image.name() + " is intact").isEqualTo(image.id());
                if (!image.name().equals("example.com/parent")) {
                    assertThat(image.rootfs().resolve("built.txt")).hasContent("built");
                    assertThat(image.rootfs().resolve("bin/sh")).exists();
                }
            }
            assertThat(Processes.mountsUnder(store)).isEmpty();
            try (Stream<Path> containers = Files.list(store.resolve("containers"));
                    Stream<Path> work = Files.list(store.resolve("tmp"))) {
                assertThat(containers).isEmpty();
                assertThat(work).isEmpty();
            }
            System.out.println("[concurrency] 4 builds, parent body sent " + bodies.get()
                    + " time(s) in " + server.requests("/parent.aci") + " request(s), unpacked once: " + unpacked);
        }
    }
}
