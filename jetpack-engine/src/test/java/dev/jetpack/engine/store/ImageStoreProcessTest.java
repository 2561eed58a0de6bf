package dev.jetpack.engine.store;

import static dev.jetpack.engine.testing.TestImages.manifest;
import static dev.jetpack.engine.testing.TestTrees.file;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.testing.ChildJvm;
import dev.jetpack.engine.testing.RecordingLog;
import dev.jetpack.engine.testing.TestImages;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store used by several JVMs: real child processes, one of them killed with SIGKILL mid-import. */
class ImageStoreProcessTest {
    @TempDir
    Path temp;

    static Process child(Path store, String source) throws IOException {
        return new ProcessBuilder(ChildJvm.command(StoreImportMain.class, store.toString(), source))
                .redirectErrorStream(true).start();
    }

    TestImages.Aci bigImage() throws IOException {
        TestImages images = new TestImages(Files.createDirectories(temp.resolve("acis")));
        return images.write(manifest("example.com/big"), rootfs -> {
            java.util.Random random = new java.util.Random(42);
            for (int i = 0; i < 40; i++) {
                byte[] noise = new byte[16 * 1024];
                random.nextBytes(noise); // incompressible, so half the ACI is half the tree
                Path f = file(rootfs, "data/file" + i, "", 0644);
                Files.write(f, noise);
            }
        });
    }

    @Test
    void anImportKilledMidStreamLeavesNothingAndTheNextOpenCleansUp() throws Exception {
        TestImages.Aci aci = bigImage();
        byte[] bytes = aci.bytes();
        Path root = temp.resolve("store");
        ImageStore.open(root, new RecordingLog());

        Process process = child(root, "-");
        try {
            OutputStream stdin = process.getOutputStream();
            stdin.write(Arrays.copyOf(bytes, bytes.length / 2));
            stdin.flush();
            // Wait until the child is unpacking (its staging rootfs exists), then kill it without warning.
            waitFor(() -> stagingRootfsExists(root), process);
        } finally {
            process.destroyForcibly(); // SIGKILL on Linux
            process.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(process.isAlive()).isFalse();

        assertThat(root.resolve("images")).isEmptyDirectory();
        assertThat(root.resolve("tmp")).isNotEmptyDirectory(); // the dead process's staging area is still there

        RecordingLog log = new RecordingLog();
        ImageStore store = ImageStore.open(root, log);

        assertThat(root.resolve("tmp")).isEmptyDirectory();
        assertThat(log.messages()).anyMatch(m -> m.contains("leftover"));
        assertThat(store.list()).isEmpty();
        StoredImage stored = store.importAci(aci.file(), ImportOptions.defaults());
        assertThat(stored.rootfs().resolve("data/file39")).hasSize(16 * 1024);
    }

    @Test
    void twoProcessesImportingTheSameImageStoreOneCopy() throws Exception {
        TestImages.Aci aci = bigImage();
        Path root = temp.resolve("store");
        Process first = child(root, aci.file().toString());
        Process second = child(root, aci.file().toString());
        String firstOutput = new String(first.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String secondOutput = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(first.waitFor()).as(firstOutput).isZero();
        assertThat(second.waitFor()).as(secondOutput).isZero();

        assertThat(firstOutput).contains("ID " + aci.id());
        assertThat(secondOutput).contains("ID " + aci.id());
        String both = firstOutput + secondOutput;
        assertThat(both.lines().filter(line -> line.startsWith("INFO Imported"))).hasSize(1);
        assertThat(both.lines().filter(line -> line.contains("already in the store"))).hasSize(1);
        ImageStore store = ImageStore.open(root, new RecordingLog());
        assertThat(store.list()).extracting(StoredImage::id).containsExactly(aci.id());
        assertThat(store.get(aci.id()).orElseThrow().aciFile()).hasSameBinaryContentAs(aci.file());
        assertThat(root.resolve("tmp")).isEmptyDirectory();
    }

    static boolean stagingRootfsExists(Path root) {
        Path tmp = root.resolve("tmp");
        if (!Files.isDirectory(tmp)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(tmp)) {
            List<Path> dirs = entries.filter(Files::isDirectory).toList();
            return dirs.stream().anyMatch(dir -> Files.isDirectory(dir.resolve("own-rootfs")));
        } catch (IOException e) {
            return false;
        }
    }

    interface Condition {
        boolean holds();
    }

    /** Polls until {@code condition} holds; fails if the child exits first or nothing happens for a minute. */
    static void waitFor(Condition condition, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.holds()) {
            if (!process.isAlive()) {
                throw new AssertionError("child exited early: "
                        + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("child did not start importing within a minute");
            }
            Thread.sleep(20);
        }
    }
}
