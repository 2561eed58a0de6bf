package dev.jetpack.engine.build;

import dev.jetpack.engine.io.HostCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An upper dir laid out by hand the way overlayfs writes one. */
class OverlayChangesTest {
    @TempDir
    Path upper;

    @Test
    void readsChangesWhiteoutsAndOpaqueMarkers() throws IOException {
        Files.createDirectories(upper.resolve("usr/bin"));
        Files.writeString(upper.resolve("usr/bin/tool"), "tool");
        Files.createSymbolicLink(upper.resolve("usr/bin/alias"), Path.of("tool"));
        HostCommand.check(List.of("mknod", upper.resolve("usr/bin/removed").toString(), "c", "0", "0"));
        HostCommand.check(List.of("mknod", upper.resolve("null").toString(), "c", "1", "3"));
        Files.createDirectories(upper.resolve("opt/app"));
        opaque(upper.resolve("opt/app"), "y");
        Files.createDirectories(upper.resolve("not-opaque"));
        opaque(upper.resolve("not-opaque"), "n");

        OverlayChanges changes = OverlayChanges.read(upper);

        assertThat(changes.changed()).containsExactly("not-opaque", "null", "opt", "opt/app", "usr", "usr/bin",
                "usr/bin/alias", "usr/bin/tool");
        assertThat(changes.deleted()).containsExactly("usr/bin/removed");
        assertThat(changes.opaqueDirectories()).containsExactly("opt/app");
        assertThat(OverlayChanges.isWhiteout(upper.resolve("null"))).as("a real device is not a whiteout").isFalse();
        assertThat(dev.jetpack.engine.aci.TarEntry.isOverlayAttribute("user.overlay.opaque")).isTrue();
        assertThat(dev.jetpack.engine.aci.TarEntry.isOverlayAttribute("trusted.overlay.origin")).isTrue();
        assertThat(dev.jetpack.engine.aci.TarEntry.isOverlayAttribute("user.mime_type")).isFalse();
    }

    @Test
    void anEmptyUpperDirMeansNoChanges() throws IOException {
        assertThat(OverlayChanges.read(upper).isEmpty()).isTrue();
    }

    private static void opaque(Path directory, String value) throws IOException {
        Files.getFileAttributeView(directory, UserDefinedFileAttributeView.class)
                .write("overlay.opaque", StandardCharsets.UTF_8.encode(value));
    }
}
