package dev.jetpack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.JetpackSettings;
import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.testing.TestImages;
import dev.jetpack.engine.testing.TestTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device policy and the expansion limits as options of the commands that read images: what makeaci wrote
 * from the user's own tarball (a disk device, a large file of zeros) is refused by default with a message that
 * names the option, and imported when the user allows it.
 */
class CliReaderLimitsTest {
    @TempDir
    Path temp;

    private Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(temp.resolve("store"), temp);
    }

    @Test
    void devicesOfALocalFileAreImportedWhenTheUserAllowsThem() throws IOException {
        Path rootfs = Files.createDirectories(temp.resolve("rootfs/dev"));
        TestTrees.run("mknod", rootfs.resolve("sda").toString(), "b", "8", "0");
        TestTrees.run("mknod", rootfs.resolve("null").toString(), "c", "1", "3");
        Path tarball = temp.resolve("rootfs.tar");
        TestTrees.run("tar", "--numeric-owner", "-C", temp.resolve("rootfs").toString(), "-cf", tarball.toString(),
                ".");
        Path manifest = TestImages.manifestFile(temp.resolve("manifest.json"), "example.com/devices", "1.0");
        Cli.Result made = cli.run("makeaci", tarball.toString(), manifest.toString(), "devices.aci");
        assertThat(made.exitCode()).as(made.toString()).isZero();

        Cli.Result refused = cli.run("import", "devices.aci");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.stderr()).contains("rootfs/dev/sda", "8:0", "device policy standard", "--devices all");
        Cli.Result bogus = cli.run("import", "--devices", "some", "devices.aci");
        assertThat(bogus.exitCode()).as(bogus.toString()).isNotZero();
        assertThat(bogus.stderr()).contains("--devices", "'some'", "all", "standard", "none");

        Cli.Result imported = cli.run("import", "--devices", "all", "devices.aci");

        assertThat(imported.exitCode()).as(imported.toString()).isZero();
        Path storedRootfs = new Jetpack(JetpackSettings.builder().storeLocation(cli.store()).build(),
                EngineLog.SILENT, ProgressListener.NONE).find(imported.out().strip()).rootfs();
        assertThat(Files.getAttribute(storedRootfs.resolve("dev/sda"), "unix:rdev", LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(8L << 8);
        assertThat(cli.run("fetch", "--devices", "all", "devices.aci").lines()).containsExactly(imported.out().strip());
    }

    @Test
    void aLargeFileOfZerosIsImportedWhenTheUserRaisesTheRatio() throws IOException {
        Path layout = Files.createDirectories(temp.resolve("layout/rootfs"));
        TestTrees.run("truncate", "-s", "80M", layout.resolve("zeros").toString());
        Files.copy(TestImages.manifestFile(temp.resolve("m.json"), "example.com/zeros", "1.0"),
                temp.resolve("layout/manifest"));
        Path aci = temp.resolve("zeros.aci");
        TestTrees.run("sh", "-c", "tar -C \"$1\" -c manifest rootfs | xz -0 -T2 > \"$2\"", "sh",
                temp.resolve("layout").toString(), aci.toString());

        Cli.Result refused = cli.run("import", aci.toString());
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.stderr()).contains("decompression bomb", "--max-expansion-ratio", "(now 1000)");
        Cli.Result tooLarge = cli.run("import", "--max-expansion-ratio", "100000", "--max-image-size", "10M",
                aci.toString());
        assertThat(tooLarge.exitCode()).as(tooLarge.toString()).isEqualTo(1);
        assertThat(tooLarge.stderr()).contains("--max-image-size", "10485760");

        Cli.Result imported = cli.run("import", "--max-expansion-ratio", "100000", aci.toString());

        assertThat(imported.exitCode()).as(imported.toString()).isZero();
        assertThat(imported.out()).startsWith("sha512-");
    }
}
