package dev.jetpack.engine.aci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.testing.TestTrees;
import dev.jetpack.engine.testing.TreeSnapshot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AciRoundTripTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Compression.class)
    void directoryToAciToTreeKeepsEverything(Compression compression) throws IOException {
        Path source = tmp.resolve("source");
        TestTrees.createRichTree(source, false);
        Path aci = tmp.resolve("out/image.aci");

        AciWriter.Result written = AciWriter.write(TestTrees.MANIFEST, source, aci,
                WriterOptions.builder().compression(compression).level(1).build());

        assertThat(Files.size(aci)).isEqualTo(written.fileSize());
        assertThat(Compression.detect(Files.readAllBytes(aci))).isEqualTo(compression);
        Path extracted = tmp.resolve("extracted");
        AciReader.Result read = AciReader.extract(aci, extracted, ReaderOptions.defaults());

        assertThat(read.id()).isEqualTo(written.id());
        assertThat(read.tarSize()).isEqualTo(written.tarSize());
        assertThat(read.compression()).isEqualTo(compression);
        assertThat(read.manifestJson()).isEqualTo(TestTrees.MANIFEST);
        Map<String, String> expected = TreeSnapshot.ofWholeSeconds(source).entrySet().stream().collect(
                Collectors.toMap(Map.Entry::getKey, e -> e.getValue().replace(" xattr:user.overlay.opaque=79", "")));
        assertThat(TreeSnapshot.ofWholeSeconds(extracted)).isEqualTo(expected);
        assertThat(TreeSnapshot.of(extracted).get("hello.txt")).contains("xattr:user.comment=").contains("1234:5678");
        assertThat(TreeSnapshot.of(extracted).get("usr/bin/tool")).startsWith("104755");
        assertThat(TreeSnapshot.of(extracted).get("null")).startsWith("20");
        assertThat(TreeSnapshot.of(extracted).get("fifo")).startsWith("10");
    }

    @Test
    void inspectGivesTheSameIdAndManifestWithoutWritingFiles() throws IOException {
        Path source = tmp.resolve("source");
        TestTrees.createRichTree(source, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AciWriter.Result written = AciWriter.write(TestTrees.MANIFEST, source, out,
                WriterOptions.builder().compression(Compression.GZIP).build());

        AciReader.Result inspected = AciReader.inspect(new ByteArrayInputStream(out.toByteArray()),
                ReaderOptions.defaults());

        assertThat(inspected.id()).isEqualTo(written.id());
        assertThat(inspected.manifestJson()).isEqualTo(TestTrees.MANIFEST);
        assertThat(inspected.compressedSize()).isEqualTo(out.size());
        assertThat(written.fileSize()).isEqualTo(out.size());
    }

    @Test
    void rootOwnershipAndFixedTimestampApplyToEveryEntry() throws IOException {
        Path source = tmp.resolve("source");
        TestTrees.createRichTree(source, false);
        Instant fixed = Instant.parse("2020-01-02T03:04:05Z");
        Path aci = tmp.resolve("image.aci");
        AciWriter.write(TestTrees.MANIFEST, source, aci, WriterOptions.builder().compression(Compression.NONE)
                .ownership(Ownership.ROOT).fixedTimestamp(fixed).build());

        Path extracted = tmp.resolve("extracted");
        AciReader.extract(aci, extracted, ReaderOptions.defaults());

        assertThat(TreeSnapshot.of(extracted).values())
                .allSatisfy(line -> assertThat(line).contains(" 0:0 mtime=2020-01-02T03:04:05Z"));
    }

    @Test
    void excludedPathsAndTheirSubtreesAreLeftOut() throws IOException {
        Path source = tmp.resolve("source");
        TestTrees.createRichTree(source, false);
        Path aci = tmp.resolve("image.aci");
        AciWriter.write(TestTrees.MANIFEST, source, aci, WriterOptions.builder().compression(Compression.NONE)
                .exclude(path -> path.toString().equals("a") || path.toString().equals("hello.txt")).build());

        Path extracted = tmp.resolve("extracted");
        AciReader.extract(aci, extracted, ReaderOptions.defaults());

        assertThat(extracted.resolve("a")).doesNotExist();
        assertThat(extracted.resolve("hello.txt")).doesNotExist();
        assertThat(extracted.resolve("a-sibling")).exists();
    }

    @Test
    void sameTreeCreatedInDifferentOrdersGivesByteIdenticalImages() throws IOException {
        Path first = tmp.resolve("first");
        Path second = tmp.resolve("second");
        TestTrees.createRichTree(first, false);
        TestTrees.createRichTree(second, true);
        // the trees are equal apart from inode numbers; the hard links and devices make them realistic
        Instant fixed = Instant.parse("2024-05-06T07:08:09Z");
        for (Compression compression : Compression.values()) {
            WriterOptions options = WriterOptions.builder().compression(compression)
                    .fixedTimestamp(fixed).build();
            Path a = tmp.resolve("a-" + compression + ".aci");
            Path b = tmp.resolve("b-" + compression + ".aci");
            AciWriter.Result ra = AciWriter.write(TestTrees.MANIFEST, first, a, options);
            AciWriter.Result rb = AciWriter.write(TestTrees.MANIFEST, second, b, options);

            assertThat(rb.id()).as(compression.toString()).isEqualTo(ra.id());
            assertThat(Files.readAllBytes(b)).as(compression.toString()).isEqualTo(Files.readAllBytes(a));
        }
    }

    @Test
    void theSameIdForEveryCompression() throws IOException {
        Path source = tmp.resolve("source");
        TestTrees.createRichTree(source, false);
        WriterOptions options = WriterOptions.builder().fixedTimestamp(Instant.EPOCH).build();
        ImageId expected = AciWriter.write(TestTrees.MANIFEST, source, new ByteArrayOutputStream(),
                options.toBuilder().compression(Compression.NONE).build()).id();
        for (Compression compression : Compression.values()) {
            assertThat(AciWriter.write(TestTrees.MANIFEST, source, new ByteArrayOutputStream(),
                    options.toBuilder().compression(compression).build()).id()).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void tinyArchivesAreRead(Compression compression) throws IOException {
        Path source = tmp.resolve("empty-root");
        Files.createDirectories(source);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AciWriter.Result written = AciWriter.write("{}".getBytes(), source, out,
                WriterOptions.builder().compression(compression).level(9).fixedTimestamp(Instant.EPOCH).build());
        if (compression != Compression.NONE) {
            assertThat(out.size()).isLessThan(768);
        }

        AciReader.Result read = AciReader.extract(new ByteArrayInputStream(out.toByteArray()), tmp.resolve("x"),
                ReaderOptions.defaults());

        assertThat(read.id()).isEqualTo(written.id());
        assertThat(read.manifestJson()).isEqualTo("{}".getBytes());
        assertThat(tmp.resolve("x")).isEmptyDirectory();
    }

    @Test
    void subSecondMtimesAreStoredAsWholeSecondsWithoutPaxHeaders() throws IOException {
        Path source = tmp.resolve("source");
        Files.createDirectories(source.resolve("dir"));
        Files.writeString(source.resolve("dir/file"), "content");
        Instant mtime = Instant.ofEpochSecond(1_600_000_000L, 987_654_321);
        for (Path path : List.of(source.resolve("dir/file"), source.resolve("dir"), source)) {
            Files.setLastModifiedTime(path, FileTime.from(mtime));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AciWriter.write(TestTrees.MANIFEST, source, out, WriterOptions.builder().compression(Compression.NONE).build());

        // every member is one plain ustar header (plus content): no 'x' pax header for the sub-second part
        byte[] tar = out.toByteArray();
        List<String> types = new ArrayList<>();
        for (int at = 0; at + 512 <= tar.length && tar[at] != 0; ) {
            types.add(Character.toString(tar[at + 156]));
            long size = Long.parseLong(new String(tar, at + 124, 11, StandardCharsets.US_ASCII).trim(), 8);
            at += 512 + (int) ((size + 511) / 512 * 512);
        }
        assertThat(types).containsExactly("0", "5", "5", "0"); // manifest, rootfs/, rootfs/dir/, rootfs/dir/file
        Path extracted = tmp.resolve("extracted");
        AciReader.extract(new ByteArrayInputStream(tar), extracted, ReaderOptions.defaults());
        assertThat(Files.getLastModifiedTime(extracted.resolve("dir/file")).toInstant())
                .isEqualTo(Instant.ofEpochSecond(1_600_000_000L));
    }
}
