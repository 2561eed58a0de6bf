package dev.jetpack.engine.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.aci.AciWriter;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.WriterOptions;
import dev.jetpack.engine.io.HostCommand;
import dev.jetpack.engine.store.ImageStore;
import dev.jetpack.engine.store.ImportOptions;
import dev.jetpack.engine.testing.RecordingLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file system that fills up (a 2 MiB tmpfs) while an ACI is written or imported. */
class DiskFullTest {
    @TempDir
    Path temp;
    Path full;
    Path rootfs;

    @BeforeEach
    void mountSmallTmpfs() throws IOException {
        full = Files.createDirectories(temp.resolve("full"));
        HostCommand.check(List.of("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", full.toString()));
        rootfs = Files.createDirectories(temp.resolve("rootfs"));
        byte[] noise = new byte[4 * 1024 * 1024]; // incompressible: the ACI is bigger than the file system
        new Random(11).nextBytes(noise);
        Files.write(rootfs.resolve("noise"), noise);
    }

    @AfterEach
    void unmount() throws IOException {
        HostCommand.check(List.of("umount", "-l", full.toString()));
    }

    static byte[] manifest() {
        return "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"example.com/big\"}".getBytes();
    }

    @Test
    @DisplayName("writing an ACI onto a full disk: an error naming the target and 'no space', no file left")
    void writingAnAci() throws IOException {
        Path output = full.resolve("image.aci");
        assertThatThrownBy(() -> AciWriter.write(manifest(), rootfs, output,
                WriterOptions.builder().compression(Compression.GZIP).level(1).build()))
                .isInstanceOf(JetpackException.class)
                .hasMessageContaining(output.toString())
                .hasMessageContaining("no space left on the file system holding " + output);
        try (var left = Files.list(full)) {
            assertThat(left).as("no partial or temporary file").isEmpty();
        }
        System.out.println("[disk full] ACI write refused cleanly");
    }

    @Test
    @DisplayName("importing into a store on a full disk: an error saying 'no space', nothing stored, no work left")
    void importingIntoTheStore() throws IOException {
        Path aci = temp.resolve("big.aci");
        AciWriter.write(manifest(), rootfs, aci, WriterOptions.builder().compression(Compression.GZIP)
                .level(1).build());
        ImageStore store = ImageStore.open(full.resolve("store"), new RecordingLog());

        assertThatThrownBy(() -> store.importAci(aci, ImportOptions.defaults()))
                .isInstanceOf(JetpackException.class)
                .hasMessageContaining("no space left on the file system holding");
        assertThat(store.list()).isEmpty();
        try (var left = Files.list(full.resolve("store/tmp"))) {
            assertThat(left).as("no staging work left").isEmpty();
        }
        assertThat(full.resolve("store/images")).isEmptyDirectory();
        // The space is back: the next import into a roomier store succeeds with the same file.
        assertThat(ImageStore.open(temp.resolve("roomy"), new RecordingLog()).importAci(aci, ImportOptions.defaults())
                .rootfs().resolve("noise")).hasSize(4 * 1024 * 1024);
        System.out.println("[disk full] store import refused cleanly");
    }

    @Test
    @DisplayName("a staged import whose copy of the ACI fills the disk: 'no space' and where, not 'corrupt', cause kept")
    void theStagedCopyOfTheAciFillsTheDisk() throws IOException {
        // A small tar followed by 4 MiB of zero blocks: the reader only hashes the zeros (nothing of them is
        // extracted), while the store keeps every byte it receives; so the staged copy is what fills the disk.
        Path small = Files.createDirectories(temp.resolve("small"));
        Files.writeString(small.resolve("hello"), "hello");
        Path aci = temp.resolve("padded.aci");
        AciWriter.write(manifest(), small, aci, WriterOptions.builder().compression(Compression.NONE).build());
        try (OutputStream out = Files.newOutputStream(aci, StandardOpenOption.APPEND)) {
            out.write(new byte[4 * 1024 * 1024]);
        }
        Path storeRoot = full.resolve("store");
        ImageStore store = ImageStore.open(storeRoot, new RecordingLog());

        assertThatThrownBy(() -> {
            try (InputStream download = Files.newInputStream(aci)) {
                store.importAci(download, ImportOptions.defaults());
            }
        })
                .isInstanceOf(JetpackException.class)
                .hasMessageContaining("no space left on the file system holding " + storeRoot)
                .hasMessageContaining(storeRoot.resolve("tmp").toString())
                .hasMessageNotContaining("corrupt")
                .hasRootCauseMessage("No space left on device");
        assertThat(store.list()).isEmpty();
        try (var left = Files.list(storeRoot.resolve("tmp"))) {
            assertThat(left).as("no staging work left").isEmpty();
        }
    }
}
