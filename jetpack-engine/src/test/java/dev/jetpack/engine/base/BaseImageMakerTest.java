package dev.jetpack.engine.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.aci.AciFormatException;
import dev.jetpack.engine.aci.AciReader;
import dev.jetpack.engine.aci.AciWriter;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.Ownership;
import dev.jetpack.engine.aci.ReaderOptions;
import dev.jetpack.engine.aci.TestTrees;
import dev.jetpack.engine.aci.WriterOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BaseImageMakerTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({"'',NONE,.", "z,GZIP,.", "j,BZIP2,.", "J,XZ,.", "J,XZ,STAR"})
    void fromTarballKeepsEverythingTheTarballSays(String flag, Compression expected, String members)
            throws IOException {
        Path source = tmp.resolve("source");
        TestTrees.createRichTree(source, false);
        Path tarball = tmp.resolve("rootfs.tar");
        // "." gives ./-prefixed names with a ./ top entry; STAR gives plain names and no top entry
        String list = members.equals(".") ? "." : "$(ls -A)";
        TestTrees.run("sh", "-c", "cd '" + source + "' && tar --xattrs --format=posix --numeric-owner -c" + flag
                + "f '" + tarball + "' " + list);

        Path aci = tmp.resolve("base.aci");
        AciWriter.Result made = BaseImageMaker.fromTarball(tarball, TestTrees.MANIFEST, aci,
                WriterOptions.builder().compression(Compression.GZIP).level(1).build());

        Path extracted = tmp.resolve("extracted");
        AciReader.Result read = AciReader.extract(aci, extracted, ReaderOptions.defaults());
        assertThat(read.id()).isEqualTo(made.id());
        assertThat(read.manifestJson()).isEqualTo(TestTrees.MANIFEST);
        Map<String, String> want = TestTrees.describeWholeSeconds(source).entrySet().stream().collect(
                Collectors.toMap(Map.Entry::getKey, e -> e.getValue().replace(" xattr:overlay.opaque=79", "")));
        if (!members.equals(".")) {
            want.remove("."); // without a top entry, rootfs gets default metadata
            Map<String, String> got = TestTrees.describeWholeSeconds(extracted);
            got.remove(".");
            assertThat(got).isEqualTo(want);
        } else {
            assertThat(TestTrees.describeWholeSeconds(extracted)).isEqualTo(want);
        }
        assertThat(Compression.detect(Files.readAllBytes(tarball))).isEqualTo(expected);
    }

    @Test
    void ownersComeFromTheTarballEntriesNotFromWhoRunsIt() throws IOException {
        ByteArrayOutputStream tarball = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Compression.XZ.compress(tarball, 0))) {
            TarArchiveEntry top = new TarArchiveEntry("./", TarConstants.LF_DIR);
            top.setIds(0, 0);
            top.setMode(0755);
            tar.putArchiveEntry(top);
            tar.closeArchiveEntry();
            TarArchiveEntry shadow = new TarArchiveEntry("./etc/shadow");
            shadow.setIds(0, 42);
            shadow.setMode(0640);
            shadow.setSize(4);
            tar.putArchiveEntry(shadow);
            tar.write("root".getBytes());
            tar.closeArchiveEntry();
            TarArchiveEntry console = new TarArchiveEntry("dev/console", TarConstants.LF_CHR);
            console.setDevMajor(5);
            console.setDevMinor(1);
            console.setMode(0600);
            tar.putArchiveEntry(console);
            tar.closeArchiveEntry();
        }
        Path tarballFile = tmp.resolve("rootfs.tar.xz");
        Files.write(tarballFile, tarball.toByteArray());
        Instant fixed = Instant.parse("2021-01-01T00:00:00Z");

        Path aci = tmp.resolve("base.aci");
        AciWriter.Result first = BaseImageMaker.fromTarball(tarballFile, TestTrees.MANIFEST, aci,
                WriterOptions.builder().fixedTimestamp(fixed).build());
        AciWriter.Result second = BaseImageMaker.fromTarball(tarballFile, TestTrees.MANIFEST, tmp.resolve("b.aci"),
                WriterOptions.builder().fixedTimestamp(fixed).build());

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(Files.readAllBytes(tmp.resolve("b.aci"))).isEqualTo(Files.readAllBytes(aci));
        Path extracted = tmp.resolve("x");
        AciReader.extract(aci, extracted, ReaderOptions.defaults());
        Map<String, String> tree = TestTrees.describe(extracted);
        assertThat(tree.get("etc/shadow")).startsWith("100640 0:42 mtime=2021-01-01T00:00:00Z");
        assertThat(tree.get("dev/console")).startsWith("20600 0:0").contains("rdev=1281");
    }

    @Test
    void traversalInTheTarballIsRefusedAndNoImageIsLeft() throws IOException {
        for (String bad : new String[] {"../etc/passwd", "/etc/passwd", "./a/../../b"}) {
            ByteArrayOutputStream tarball = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(tarball)) {
                TarArchiveEntry entry = new TarArchiveEntry(bad, TarConstants.LF_NORMAL, true);
                tar.putArchiveEntry(entry);
                tar.closeArchiveEntry();
            }
            Path tarballFile = tmp.resolve("bad.tar");
            Files.write(tarballFile, tarball.toByteArray());
            Path aci = tmp.resolve("bad.aci");

            assertThatThrownBy(() -> BaseImageMaker.fromTarball(tarballFile, TestTrees.MANIFEST, aci,
                    WriterOptions.defaults())).isInstanceOf(AciFormatException.class)
                    .hasMessageContainingAll(tarballFile.toString(), bad);
            assertThat(aci).doesNotExist();
            try (var files = Files.list(tmp)) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("bad.tar");
            }
        }
    }

    @Test
    void fromDirectoryWithRootOwnershipNeedsNoRoot() throws IOException {
        Path source = tmp.resolve("source");
        TestTrees.createRichTree(source, false);
        Path aci = tmp.resolve("dir.aci");
        AciWriter.Result made = BaseImageMaker.fromDirectory(source, TestTrees.MANIFEST, aci,
                WriterOptions.builder().ownership(Ownership.ROOT).compression(Compression.BZIP2).build());

        Path extracted = tmp.resolve("x");
        assertThat(AciReader.extract(aci, extracted, ReaderOptions.defaults()).id()).isEqualTo(made.id());
        assertThat(TestTrees.describe(extracted).values()).allSatisfy(line -> assertThat(line).contains(" 0:0 "));
        assertThat(TestTrees.describe(extracted).get("usr/bin/tool")).startsWith("104755");
    }
}
