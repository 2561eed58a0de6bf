package dev.jetpack.engine.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.aci.AciFormatException;
import dev.jetpack.engine.aci.AciReader;
import dev.jetpack.engine.aci.AciWriter;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.Ownership;
import dev.jetpack.engine.aci.ReaderOptions;
import dev.jetpack.engine.aci.WriterOptions;
import dev.jetpack.engine.testing.TestTrees;
import dev.jetpack.engine.testing.TreeSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        Map<String, String> want = TreeSnapshot.ofWholeSeconds(source).entrySet().stream().collect(
                Collectors.toMap(Map.Entry::getKey, e -> e.getValue().replace(" xattr:user.overlay.opaque=79", "")));
        if (!members.equals(".")) {
            want.remove("."); // without a top entry, rootfs gets default metadata
            Map<String, String> got = TreeSnapshot.ofWholeSeconds(extracted);
            got.remove(".");
            assertThat(got).isEqualTo(want);
        } else {
            assertThat(TreeSnapshot.ofWholeSeconds(extracted)).isEqualTo(want);
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
        Map<String, String> tree = TreeSnapshot.of(extracted);
        assertThat(tree.get("etc/shadow")).startsWith("100640 0:42 mtime=2021-01-01T00:00:00Z");
        assertThat(tree.get("dev/console")).startsWith("20600 0:0").contains("rdev=1281");
    }

    @Test
    void traversalInTheTarballIsRefusedAndNoImageIsLeft() throws IOException {
        for (String bad : new String[] {"../etc/passwd", "/../etc/passwd", "./a/../../b"}) {
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
        assertThat(TreeSnapshot.of(extracted).values()).allSatisfy(line -> assertThat(line).contains(" 0:0 "));
        assertThat(TreeSnapshot.of(extracted).get("usr/bin/tool")).startsWith("104755");
    }

    @Test
    void fromTarballCompressesWithTheThreadsTheOptionsAskFor() throws IOException {
        // More threads than ALL_CORES would give, so that the count observed can only come from the options.
        int threads = Runtime.getRuntime().availableProcessors() + 1;
        byte[] noise = new byte[4 * 1024 * 1024 + threads * 256 * 1024]; // many more gzip blocks than threads
        new Random(5).nextBytes(noise);
        ByteArrayOutputStream tarball = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(tarball)) {
            for (String name : new String[] {"noise", "marker"}) {
                byte[] content = name.equals("noise") ? noise : new byte[0];
                TarArchiveEntry entry = new TarArchiveEntry(name);
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        Path tarballFile = Files.write(tmp.resolve("rootfs.tar"), tarball.toByteArray());
        // The exclude filter runs on the writing thread: at "marker", the noise went through the compressor.
        Set<String> workers = new HashSet<>();
        Predicate<Path> seeWorkers = path -> {
            if (path.toString().equals("marker")) {
                workers.addAll(newestGzipStreamWorkers());
            }
            return false;
        };

        byte[] manifest = "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"example.com/threads\"}"
                .getBytes(StandardCharsets.UTF_8);
        BaseImageMaker.fromTarball(tarballFile, manifest, tmp.resolve("base.aci"),
                WriterOptions.builder().compression(Compression.GZIP).level(1).threads(threads)
                        .exclude(seeWorkers).build());

        assertThat(workers).hasSize(threads);
    }

    /** The worker threads of the gzip compressor made last ("gzip-STREAM-N", STREAM counting up). */
    private static Set<String> newestGzipStreamWorkers() {
        Pattern name = Pattern.compile("gzip-(\\d+)-\\d+");
        TreeMap<Integer, Set<String>> byStream = new TreeMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            Matcher matcher = name.matcher(thread.getName());
            if (matcher.matches()) {
                byStream.computeIfAbsent(Integer.parseInt(matcher.group(1)), n -> new HashSet<>())
                        .add(thread.getName());
            }
        }
        return byStream.isEmpty() ? Set.of() : byStream.lastEntry().getValue();
    }
}
