package dev.jetpack.engine.aci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.testing.TestTrees;
import dev.jetpack.engine.testing.TreeSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Our ACIs against GNU tar and the compression tools, both ways. */
class AciInteropTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({"NONE,cat", "GZIP,gzip -dc", "BZIP2,bzip2 -dc", "XZ,xz -dc"})
    void gnuToolsReadWhatWeWrite(Compression compression, String decompress) throws Exception {
        Path source = tmp.resolve("source");
        TestTrees.createRichTree(source, false);
        Path aci = tmp.resolve("image.aci");
        AciWriter.Result written = AciWriter.write(TestTrees.MANIFEST, source, aci,
                WriterOptions.builder().compression(compression).build());

        // the native decompressor yields exactly the tar whose SHA-512 is the ID
        byte[] tar = TestTrees.run("sh", "-c", decompress + " < '" + aci + "'");
        assertThat(tar).hasSize((int) written.tarSize());
        assertThat(ImageId.ofDigest(MessageDigest.getInstance("SHA-512").digest(tar))).isEqualTo(written.id());

        List<String> listing = Arrays.asList(new String(TestTrees.run("tar", "-tf", aci.toString()),
                StandardCharsets.UTF_8).split("\n"));
        assertThat(listing.get(0)).isEqualTo("manifest");
        assertThat(listing.get(1)).isEqualTo("rootfs/");
        assertThat(listing).contains("rootfs/" + "n".repeat(150) + ".txt", "rootfs/caf\u00e9", "rootfs/usr/bin/tool");

        Path gnu = tmp.resolve("gnu");
        Files.createDirectories(gnu);
        TestTrees.run("tar", "--xattrs", "--xattrs-include=user.*", "--numeric-owner", "-xpf", aci.toString(),
                "-C", gnu.toString());
        assertThat(Files.readAllBytes(gnu.resolve("manifest"))).isEqualTo(TestTrees.MANIFEST);
        Map<String, String> expected = TreeSnapshot.ofWholeSeconds(source).entrySet().stream().collect(
                Collectors.toMap(Map.Entry::getKey, e -> e.getValue().replace(" xattr:user.overlay.opaque=79", "")));
        Map<String, String> actual = TreeSnapshot.ofWholeSeconds(gnu.resolve("rootfs"));
        assertThat(actual).isEqualTo(expected);
    }

    /** GNU tar's pax format keeps nanosecond mtimes; reading them keeps them (full-precision describe). */
    @ParameterizedTest
    @CsvSource({"J,XZ", "z,GZIP", "j,BZIP2", "'',NONE"})
    void weReadWhatGnuTarWrites(String flag, Compression compression) throws IOException {
        Path dir = tmp.resolve("layout");
        TestTrees.createRichTree(dir.resolve("rootfs"), false);
        Files.write(dir.resolve("manifest"), TestTrees.MANIFEST);
        Path aci = tmp.resolve("gnu.aci");
        TestTrees.run("tar", "--xattrs", "--format=posix", "-C", dir.toString(), "-c" + flag + "f", aci.toString(),
                "manifest", "rootfs");
        String decompress = switch (compression) {
            case XZ -> "xz -dc";
            case GZIP -> "gzip -dc";
            case BZIP2 -> "bzip2 -dc";
            case NONE -> "cat";
        };
        String expectedId = new String(TestTrees.run("sh", "-c", decompress + " < '" + aci + "' | sha512sum"),
                StandardCharsets.US_ASCII).split(" ")[0];

        Path extracted = tmp.resolve("extracted");
        AciReader.Result read = AciReader.extract(aci, extracted, ReaderOptions.defaults());

        assertThat(read.compression()).isEqualTo(compression);
        assertThat(read.id().hex()).isEqualTo(expectedId);
        assertThat(read.manifestJson()).isEqualTo(TestTrees.MANIFEST);
        Map<String, String> expected = TreeSnapshot.of(dir.resolve("rootfs")).entrySet().stream().collect(
                Collectors.toMap(Map.Entry::getKey, e -> e.getValue().replace(" xattr:user.overlay.opaque=79", "")));
        assertThat(TreeSnapshot.of(extracted)).isEqualTo(expected);
    }

    /** An ACI may hold a sparse file (GNU tar --sparse, bsdtar unasked): it is extracted in full, as GNU tar does. */
    @ParameterizedTest
    @CsvSource({"tar --format=gnu --sparse", "tar --format=posix --sparse", "bsdtar"})
    void sparseFilesInAnAciAreExtractedInFull(String writer) throws IOException {
        Path dir = tmp.resolve("layout");
        Files.createDirectories(dir.resolve("rootfs"));
        Path sparse = dir.resolve("rootfs/disk.img");
        TestTrees.run("truncate", "-s", "4M", sparse.toString());
        TestTrees.run("sh", "-c", "printf data | dd of='" + sparse + "' bs=1 seek=1048576 conv=notrunc 2>/dev/null");
        Files.write(dir.resolve("manifest"), TestTrees.MANIFEST);
        Path aci = tmp.resolve("sparse.aci");
        TestTrees.run("sh", "-c", "cd '" + dir + "' && " + writer + " -cf '" + aci + "' manifest rootfs");

        AciReader.extract(aci, tmp.resolve("x"), ReaderOptions.defaults());

        assertThat(Files.readAllBytes(tmp.resolve("x/disk.img"))).isEqualTo(Files.readAllBytes(sparse));
        // the holes count against the image limit although the tar does not hold them
        assertThatThrownBy(() -> AciReader.inspect(aci, ReaderOptions.builder().maxUncompressedBytes(1024 * 1024)
                .build())).isInstanceOf(AciFormatException.class).hasMessageContaining("rootfs/disk.img");
    }

    @Test
    void gnuTarArchiveWithDotSlashNamesIsAccepted() throws IOException {
        Path dir = tmp.resolve("layout");
        Files.createDirectories(dir.resolve("rootfs/etc"));
        Files.writeString(dir.resolve("rootfs/etc/hostname"), "box\n");
        Files.write(dir.resolve("manifest"), TestTrees.MANIFEST);
        Path aci = tmp.resolve("dot.aci");
        TestTrees.run("tar", "-C", dir.toString(), "-czf", aci.toString(), ".");

        AciReader.Result read = AciReader.extract(aci, tmp.resolve("x"), ReaderOptions.defaults());

        assertThat(read.manifestJson()).isEqualTo(TestTrees.MANIFEST);
        assertThat(tmp.resolve("x/etc/hostname")).hasContent("box");
    }
}
