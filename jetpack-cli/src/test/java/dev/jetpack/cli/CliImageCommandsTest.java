package dev.jetpack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.aci.AciReader;
import dev.jetpack.engine.aci.AciWriter;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.ReaderOptions;
import dev.jetpack.engine.aci.WriterOptions;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.ManifestCodec;
import dev.jetpack.engine.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** makeaci, import, images, show-image, image-manifest, export, destroy-image: as a user runs them. */
class CliImageCommandsTest {
    private static final String ID = "sha512-[0-9a-f]{128}";

    @TempDir
    Path temp;

    private Cli cli;
    private Path tarball;
    private Path manifest;

    @BeforeEach
    void setUp() throws IOException {
        cli = new Cli(temp.resolve("store"), temp);
        tarball = TestImages.rootfsTarball(temp.resolve("rootfs.tar.gz"), "hello\n");
        manifest = TestImages.manifestFile(temp.resolve("manifest.json"), "example.com/base", "1.0");
    }

    @Test
    void makeaciMakesAReproducibleImageFromATarballAndPrintsItsId() throws IOException {
        Cli.Result first = cli.run("makeaci", "--timestamp", "2024-01-01T00:00:00Z", tarball.toString(),
                manifest.toString(), "first.aci");
        Cli.Result second = cli.run("makeaci", "--timestamp", "1704067200", tarball.toString(),
                manifest.toString(), "second.aci");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).matches(ID + "\n");
        assertThat(second.out()).as("same inputs and time, same image").isEqualTo(first.out());
        assertThat(Files.readAllBytes(temp.resolve("second.aci"))).isEqualTo(Files.readAllBytes(
                temp.resolve("first.aci")));
        AciReader.Result read = AciReader.extract(temp.resolve("first.aci"), temp.resolve("x"),
                ReaderOptions.defaults());
        assertThat(read.id().value() + "\n").isEqualTo(first.out());
        assertThat(read.compression()).as("the default").isEqualTo(Compression.DEFAULT);
        assertThat(temp.resolve("x/etc/hello")).hasContent("hello");
        assertThat(Files.readSymbolicLink(temp.resolve("x/etc/greeting"))).isEqualTo(Path.of("hello"));
    }

    @Test
    void makeaciTakesADirectoryAndTheCompressionOption() throws IOException {
        Path rootfs = Files.createDirectories(temp.resolve("dir/etc"));
        Files.writeString(rootfs.resolve("motd"), "hi");

        Cli.Result result = cli.run("makeaci", "--compression", "gzip", temp.resolve("dir").toString(),
                manifest.toString(), "dir.aci");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(AciReader.inspect(temp.resolve("dir.aci"), ReaderOptions.defaults()).compression())
                .isEqualTo(Compression.GZIP);
    }

    @Test
    void makeaciRefusesAnInvalidManifestAndWritesNothing() throws IOException {
        Path bad = Files.writeString(temp.resolve("bad.json"), "{\"acKind\": \"ImageManifest\", \"acVersion\":"
                + " \"0.8.11\", \"name\": \"Not A Valid Name\"}");

        Cli.Result result = cli.run("makeaci", tarball.toString(), bad.toString(), "out.aci");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(result.stderr()).startsWith("jetpack: error: ").contains(bad.toString()).contains("name");
        assertThat(result.out()).isEmpty();
        assertThat(temp.resolve("out.aci")).doesNotExist();
        assertThat(Files.list(temp).filter(p -> p.getFileName().toString().contains("out.aci"))).isEmpty();
    }

    @Test
    void makeaciReportsAMissingRootfs() {
        Cli.Result result = cli.run("makeaci", "no-such-rootfs.tar", manifest.toString(), "out.aci");

        assertThat(result.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(result.stderr()).contains("no-such-rootfs.tar").contains("does not exist");
    }

    @Test
    void importListShowExportAndDestroy() throws IOException {
        String id = cli.run("makeaci", tarball.toString(), manifest.toString(), "base.aci").out().strip();

        Cli.Result imported = cli.run("import", "-saveid", "id.txt", "base.aci");
        assertThat(imported.exitCode()).as(imported.toString()).isZero();
        assertThat(imported.out()).isEqualTo(id + "\n");
        assertThat(temp.resolve("id.txt")).hasContent(id);

        Cli.Result again = cli.run(Files.readAllBytes(temp.resolve("base.aci")), "import", "-");
        assertThat(again.exitCode()).as("import from stdin of a stored image: " + again).isZero();
        assertThat(again.out()).isEqualTo(id + "\n");
        assertThat(again.stderr()).contains("already in the store");

        String shortId = id.substring(0, "sha512-".length() + 32);
        Cli.Result table = cli.run("images");
        assertThat(table.lines()).hasSize(2);
        assertThat(table.lines().get(0)).matches("ID +NAME +LABELS +SIZE +IMPORTED");
        assertThat(table.lines().get(1)).matches(shortId + " +example\\.com/base:1\\.0 +os=linux,arch=amd64 +"
                + Files.size(temp.resolve("base.aci")) + " +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(cli.run("images", "-H").lines()).hasSize(1).allMatch(line -> line.startsWith(shortId + " "));
        assertThat(cli.run("images", "-q").out()).isEqualTo(shortId + "\n");
        assertThat(cli.run("images", "-q", "-l").out()).isEqualTo(id + "\n");

        Cli.Result shown = cli.run("show-image", "example.com/base:1.0,os=linux");
        assertThat(shown.exitCode()).isZero();
        assertThat(shown.lines()).contains("ID        " + id, "Name      example.com/base");
        assertThat(cli.run("show-image", id.substring(0, 12)).lines()).contains("ID        " + id);

        Cli.Result json = cli.run("image-manifest", shortId);
        assertThat(json.exitCode()).isZero();
        assertThat(json.out()).startsWith("{\n  \"acKind\": \"ImageManifest\"").endsWith("}\n");
        ImageManifest printed = ManifestCodec.read(json.stdout());
        assertThat(printed.name()).isEqualTo("example.com/base");
        assertThat(printed.label("version")).contains("1.0");

        Cli.Result exported = cli.run("export", "example.com/base", "exported.aci");
        assertThat(exported.out()).isEqualTo(id + "\n");
        assertThat(Files.readAllBytes(temp.resolve("exported.aci"))).as("export writes the ACI as stored")
                .isEqualTo(Files.readAllBytes(temp.resolve("base.aci")));
        Cli.Result toStdout = cli.run("export", id, "-");
        assertThat(toStdout.stdout()).isEqualTo(Files.readAllBytes(temp.resolve("base.aci")));

        Cli.Result destroyed = cli.run("destroy-image", shortId);
        assertThat(destroyed.exitCode()).as(destroyed.toString()).isZero();
        assertThat(destroyed.out()).isEqualTo(id + "\n");
        assertThat(cli.run("images", "-q").out()).isEmpty();
        Cli.Result gone = cli.run("destroy-image", id);
        assertThat(gone.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(gone.stderr()).contains("No image with ID " + id);
    }

    @Test
    void flatExportIsASelfContainedImage() throws IOException {
        cli.run("makeaci", tarball.toString(), manifest.toString(), "base.aci");
        cli.run("import", "base.aci");

        Cli.Result flat = cli.run("--compression", "none", "export", "-flat", "example.com/base", "flat.aci");

        assertThat(flat.exitCode()).as(flat.toString()).isZero();
        AciReader.Result read = AciReader.extract(temp.resolve("flat.aci"), temp.resolve("flat"),
                ReaderOptions.defaults());
        assertThat(flat.out()).isEqualTo(read.id() + "\n");
        assertThat(read.compression()).isEqualTo(Compression.NONE);
        ImageManifest manifestOfFlat = ManifestCodec.read(read.manifestJson());
        assertThat(manifestOfFlat.dependencies()).isEmpty();
        assertThat(manifestOfFlat.pathWhitelist()).isEmpty();
        assertThat(temp.resolve("flat/etc/hello")).hasContent("hello");
    }

    @Test
    void unknownImagesFailWithTheirName() {
        Cli.Result byName = cli.run("show-image", "example.com/nothing:1.0");
        Cli.Result byId = cli.run("image-manifest", "sha512-0123456789");

        assertThat(byName.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(byName.stderr()).startsWith("jetpack: error: No image matching example.com/nothing:1.0");
        assertThat(byId.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(byId.stderr()).contains("sha512-0123456789");
        assertThat(byName.out()).isEmpty();
    }

    @Test
    void anAmbiguousIdPrefixFailsAndListsTheCandidates() throws IOException {
        // Make images until two IDs share their first hex digit (pigeonhole: at most 17 tiny ones, in-process).
        Map<Character, Path> byFirstDigit = new HashMap<>();
        Path first = null;
        Path second = null;
        for (int i = 0; second == null; i++) {
            Path rootfs = Files.createDirectories(temp.resolve("r" + i));
            Files.writeString(rootfs.resolve("n"), Integer.toString(i));
            Path aci = temp.resolve("i" + i + ".aci");
            byte[] json = ManifestCodec.write(ImageManifest.named("example.com/i" + i), false);
            String id = AciWriter.write(json, rootfs, aci, WriterOptions.builder().compression(Compression.NONE)
                    .fixedTimestamp(Instant.EPOCH).build()).id().hex();
            Path previous = byFirstDigit.putIfAbsent(id.charAt(0), aci);
            if (previous != null) {
                first = previous;
                second = aci;
            }
        }
        String id1 = cli.run("import", first.toString()).out().strip();
        String id2 = cli.run("import", second.toString()).out().strip();
        String prefix = id1.substring(0, "sha512-".length() + 1);

        Cli.Result result = cli.run("show-image", prefix);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(result.stderr()).contains("ambiguous").contains(id1).contains(id2);
        assertThat(result.out()).isEmpty();
    }
}
