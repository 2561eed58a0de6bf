package dev.jetpack.engine.testing;

import dev.jetpack.engine.aci.AciWriter;
import dev.jetpack.engine.aci.WriterOptions;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.manifest.Dependency;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.Label;
import dev.jetpack.engine.manifest.ManifestCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Images and their inputs, made in the test: small real ACIs written with {@link AciWriter} (for store and fetch
 * tests), and the rootfs tarballs and manifest files a base image is made from (for the command line's tests).
 */
public final class TestImages {
    private final Path workDir;

    public TestImages(Path workDir) {
        this.workDir = workDir;
    }

    /** Fills a rootfs directory. */
    @FunctionalInterface
    public interface Tree {
        void fill(Path rootfs) throws IOException;
    }

    /** A written ACI file and its ID. */
    public record Aci(Path file, ImageId id, ImageManifest manifest) {
        public byte[] bytes() throws IOException {
            return Files.readAllBytes(file);
        }
    }

    public static ImageManifest manifest(String name, String... labels) {
        List<Label> list = new ArrayList<>();
        for (int i = 0; i < labels.length; i += 2) {
            list.add(new Label(labels[i], labels[i + 1]));
        }
        return ImageManifest.named(name).withLabels(list);
    }

    public static Dependency dependency(String name, ImageId id, String... labels) {
        List<Label> list = new ArrayList<>();
        for (int i = 0; i < labels.length; i += 2) {
            list.add(new Label(labels[i], labels[i + 1]));
        }
        return new Dependency(name, id == null ? null : id.value(), list, null);
    }

    public Aci write(ImageManifest manifest, Tree tree) throws IOException {
        Path dir = Files.createDirectories(workDir.resolve("aci-" + UUID.randomUUID()));
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        tree.fill(rootfs);
        Path file = dir.resolve("image.aci");
        AciWriter.Result result = AciWriter.write(ManifestCodec.write(manifest, true), rootfs, file,
                WriterOptions.builder().compression(Compression.GZIP).level(1).build());
        return new Aci(file, result.id(), manifest);
    }

    /** An image with one file {@code /file.txt} holding {@code content}. */
    public Aci simple(ImageManifest manifest, String content) throws IOException {
        return write(manifest, rootfs -> Files.writeString(rootfs.resolve("file.txt"), content));
    }

    /** A gzipped rootfs tarball in the usual {@code ./x} form: a directory, a file owned by 0:0, a symlink. */
    public static Path rootfsTarball(Path file, String content) throws IOException {
        try (OutputStream out = new GzipCompressorOutputStream(Files.newOutputStream(file));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tarDirectory(tar, "./");
            tarDirectory(tar, "./etc/");
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry hello = new TarArchiveEntry("./etc/hello");
            hello.setMode(0100644);
            hello.setSize(bytes.length);
            tar.putArchiveEntry(hello);
            tar.write(bytes);
            tar.closeArchiveEntry();
            TarArchiveEntry link = new TarArchiveEntry("./etc/greeting", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("hello");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        return file;
    }

    private static void tarDirectory(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(040755);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    /** A valid manifest file for {@code name} with version, os and arch labels. */
    public static Path manifestFile(Path file, String name, String version) throws IOException {
        Files.writeString(file, "{\"acKind\": \"ImageManifest\", \"acVersion\": \"0.8.11\", \"name\": \"" + name
                + "\", \"labels\": [{\"name\": \"version\", \"value\": \"" + version + "\"},"
                + " {\"name\": \"os\", \"value\": \"linux\"}, {\"name\": \"arch\", \"value\": \"amd64\"}]}");
        return file;
    }
}
